/**
 * What the gateway tells of each request: one access line whatever way it
 * ends, W3C trace context carried from the caller to the upstream and back,
 * Server-Timing, and the spans of sampled requests exported to a real OTLP
 * receiver on 127.0.0.1 (test/support/otlp-receiver.ts).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import gateway from "../../.generated/telemetry/app.ts";
import { call } from "../../support/call.ts";
import { storeConsumer } from "../../support/consumers.ts";
import { logsOf } from "../../support/faults.ts";
import { token } from "../../support/tokens.ts";

const receiver = `http://127.0.0.1:${inject("otlpPort")}`;

type Line = { level: string; message: string } & Record<string, unknown>;

async function traced(path: string, init: RequestInit = {}) {
  let response!: Response;
  let text = "";
  const lines: Line[] = await logsOf(async () => {
    response = await call(gateway, path, init);
    text = await response.text();
  });
  const access = lines.filter((line) => line.message === "request");
  expect(access, `one access line for ${path}`).toHaveLength(1);
  return { response, text, lines, access: access[0] };
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

type OtlpBody = { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };

/** The spans of one trace among the bodies a collector got. */
function spansOf(bodies: unknown, traceId: string): OtlpSpan[] {
  return (bodies as OtlpBody[])
    .flatMap((body) => body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)))
    .filter((span) => span.traceId === traceId);
}

/** Every span the gateway's collector (the receiver's steady one: OTLP_URL) got for a trace. */
async function exported(traceId: string): Promise<OtlpSpan[]> {
  return spansOf(await (await fetch(`${receiver}/control/steady/received`)).json(), traceId);
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value && Object.values(value)[0];
};

const hex = (length: number) => [...crypto.getRandomValues(new Uint8Array(length / 2))].map((byte) => byte.toString(16).padStart(2, "0")).join("");

describe("the access log", () => {
  it("writes one line per request, for every way a request ends, with the documented fields", async () => {
    const apiKey = await storeConsumer({ id: "acme", tier: "gold" });
    const outcomes: Array<[number, string, RequestInit, string | null, string | null]> = [
      [200, "/items/7", { headers: { "x-api-key": "not-needed-here" } }, "/items/{id}", null],
      [200, "/keyed", { headers: { "x-api-key": apiKey } }, "/keyed", null],
      [400, "/items/seven", {}, "/items/{id}", "validation"],
      // cors answers a copy of the problem, with its headers: the problem's type is still known.
      [400, "/copied/seven", { headers: { origin: "https://app.example" } }, "/copied/{id}", "validation"],
      [401, "/keyed", {}, "/keyed", "unauthorized"],
      [403, "/denied", { headers: { "cf-connecting-ip": "198.51.100.7" } }, "/denied", "forbidden"],
      [404, "/nowhere", {}, null, "not-found"],
      [405, "/keyed", { method: "DELETE" }, null, "method-not-allowed"],
      [
        413,
        "/items/7",
        { method: "POST", body: JSON.stringify({ name: "x".repeat(100) }), headers: { "content-type": "application/json" } },
        "/items/{id}",
        "content-too-large",
      ],
      [500, "/explode", {}, "/explode", "internal"],
      [502, "/down", {}, "/down", "bad-gateway"],
      [504, "/slow", {}, "/slow", "gateway-timeout"],
    ];
    const bucket = crypto.randomUUID();
    await call(gateway, "/limited", { headers: { "x-bucket": bucket } });
    const limited = await traced("/limited", { headers: { "x-bucket": bucket } });
    expect(limited.access).toMatchObject({ status: 429, rateLimit: "refused", problem: "too-many-requests", operationId: "limited" });

    for (const [status, path, init, route, problem] of outcomes) {
      const { response, access } = await traced(path, { ...init, headers: { "cf-connecting-ip": "203.0.113.9", ...init.headers } });
      expect(response.status, path).toBe(status);
      expect(access, `${status} ${path}`).toMatchObject({
        level: "info",
        requestId: response.headers.get("x-request-id"),
        traceId: response.headers.get("traceresponse")!.split("-")[1],
        method: init.method ?? "GET",
        route,
        status,
        durationMs: expect.any(Number),
        bytesIn: expect.any(Number),
        problem,
        time: expect.any(String),
      });
      expect(access.client, path).toBe(path === "/denied" ? "198.51.100.7" : "203.0.113.9");
      if (route !== null && status !== 405) expect(access.operationId).toEqual(expect.any(String));
      if (["/items/7", "/down", "/slow"].includes(path) && status !== 413) expect(access.upstreamMs).toEqual(expect.any(Number));
    }
    const keyed = (await traced("/keyed", { headers: { "x-api-key": apiKey } })).access;
    expect(keyed).toMatchObject({ consumer: "acme", tier: "gold", status: 200 });
  });

  it("never holds a credential: the API key, a bearer token and a basic password appear in no line", async () => {
    const apiKey = await storeConsumer({ id: "secretive" });
    const bearer = await token();
    const password = await storeConsumer({ id: "basic-user" });
    const lines = [
      ...(await traced("/keyed", { headers: { "x-api-key": apiKey } })).lines,
      ...(await traced("/keyed", { headers: { "x-api-key": `${apiKey}-wrong` } })).lines,
      ...(await traced("/bearer", { headers: { authorization: `Bearer ${bearer}` } })).lines,
      ...(await traced("/basic", { headers: { authorization: `Basic ${btoa(`basic-user:${password}`)}` } })).lines,
    ];
    const printed = JSON.stringify(lines);
    for (const secret of [apiKey, bearer, password, btoa(`basic-user:${password}`)]) expect(printed).not.toContain(secret);
    expect(lines.filter((line) => line.message === "request").map((line) => line.status)).toEqual([200, 401, 200, 200]);
  });

  it("adds a debug line for a consumer whose metadata says debug, its credentials and redact names masked", async () => {
    const apiKey = await storeConsumer({ id: "debugged", metadata: { debug: true } });
    const { lines } = await traced("/keyed?tenant_secret=s3cret&page=2", { headers: { "x-api-key": apiKey, "x-session-hint": "hint", "x-kept": "yes" } });
    const detail = lines.find((line) => line.message === "request detail");
    expect(detail).toMatchObject({
      level: "debug",
      consumer: "debugged",
      headers: { "x-api-key": "[redacted]", "x-session-hint": "[redacted]", "x-kept": "yes" },
      query: { tenant_secret: "[redacted]", page: "2" },
    });
    expect(JSON.stringify(lines)).not.toContain(apiKey);
    const quiet = await storeConsumer({ id: "quiet" });
    expect((await traced("/keyed", { headers: { "x-api-key": quiet } })).lines.some((line) => line.message === "request detail")).toBe(false);
  });
});

describe("W3C trace context", () => {
  it("continues the caller's trace: the upstream gets a traceparent under the gateway's span, the caller a traceresponse", async () => {
    const [traceId, callerSpan] = [hex(32), hex(16)];
    const { response, text } = await traced("/items/7", { headers: { traceparent: `00-${traceId}-${callerSpan}-00`, tracestate: "vendor=1" } });
    const sent = (JSON.parse(text) as { headers: Array<[string, string]> }).headers;
    const upstream = sent.find(([name]) => name === "traceparent")![1].split("-");
    expect(upstream.slice(0, 2)).toEqual(["00", traceId]);
    expect(upstream[2]).not.toBe(callerSpan);
    expect(upstream[3]).toBe("00");
    expect(sent).toContainEqual(["tracestate", "vendor=1"]);
    const answer = response.headers.get("traceresponse")!.split("-");
    expect(answer.slice(0, 2)).toEqual(["00", traceId]);
    expect(answer[2]).not.toBe(callerSpan);
  });

  it("starts a trace when the caller sent none (or a malformed one), and puts its id in every problem beside requestId", async () => {
    for (const traceparent of [undefined, "00-not-a-trace-01", `00-${"0".repeat(32)}-${hex(16)}-01`]) {
      const { response, text } = await traced("/items/seven", { headers: traceparent ? { traceparent } : {} });
      const traceId = response.headers.get("traceresponse")!.split("-")[1];
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe("0".repeat(32));
      expect(JSON.parse(text)).toMatchObject({ status: 400, requestId: response.headers.get("x-request-id"), traceId });
    }
  });

  it("answers Server-Timing with the whole request and each step, the upstream's call among them", async () => {
    const { response } = await traced("/items/7");
    const metrics = response.headers
      .get("server-timing")!
      .split(", ")
      .map((metric) => metric.split(";")[0]);
    expect(metrics[0]).toBe("total");
    expect(metrics).toEqual(expect.arrayContaining(["validate-request", "upstream", "forward"]));
  });
});

describe("spans", () => {
  it("exports a sampled request's server span, its steps and the upstream's client span, whose id the upstream got as parent", async () => {
    const [traceId, callerSpan] = [hex(32), hex(16)];
    const { text } = await traced("/items/7", { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } });
    const spans = await exported(traceId);
    const server = spans.find((span) => span.kind === 2)!;
    expect(server).toMatchObject({ name: "GET /items/{id}", parentSpanId: callerSpan });
    expect(attribute(server, "http.request.method")).toBe("GET");
    expect(attribute(server, "http.route")).toBe("/items/{id}");
    expect(attribute(server, "http.response.status_code")).toBe("200");
    expect(attribute(server, "url.path")).toBe("/items/7");
    expect(attribute(server, "portico.operation_id")).toBe("getItem");
    const client = spans.find((span) => span.kind === 3 && span.name === "upstream")!;
    expect(client.parentSpanId).toBe(server.spanId);
    const sent = (JSON.parse(text) as { headers: Array<[string, string]> }).headers.find(([name]) => name === "traceparent")![1];
    expect(sent).toBe(`00-${traceId}-${client.spanId}-01`);
    expect(spans.filter((span) => span.kind === 1).map((span) => span.name)).toEqual(expect.arrayContaining(["validate-request", "forward"]));
  });

  it("answers before a collector that takes 10 s does, with its own status; the spans leave in the background", async () => {
    const traceId = hex(32);
    const ctx = createExecutionContext();
    const request = new Request("https://api.example.com/items/7", { headers: { traceparent: `00-${traceId}-${hex(16)}-01` } });
    const response = await gateway.fetch(request, { ...env, OTLP_URL: `${receiver}/slow/v1/traces` }, ctx);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    // The export reaches the collector after the answer, and the collector has not answered it yet.
    let spans: OtlpSpan[] = [];
    for (let i = 0; i < 250 && spans.length === 0; i++) {
      await scheduler.wait(20);
      spans = spansOf(await (await fetch(`${receiver}/control/slow/received`)).json(), traceId);
    }
    expect(spans.length).toBeGreaterThan(0);
    expect(((await (await fetch(`${receiver}/control/slow/held`)).json()) as { held: number }).held).toBeGreaterThan(0);
    // Let the collector answer now rather than in 10 s.
    await fetch(`${receiver}/control/slow/release`, { method: "POST" });
    await waitOnExecutionContext(ctx);
  });

  it("spans the consumer lookup of an API key as a call of its own", async () => {
    const apiKey = await storeConsumer({ id: "spanned" });
    const traceId = hex(32);
    await traced("/keyed", { headers: { "x-api-key": apiKey, traceparent: `00-${traceId}-${hex(16)}-01` } });
    const spans = await exported(traceId);
    const server = spans.find((span) => span.kind === 2)!;
    expect(attribute(server, "portico.consumer_id")).toBe("spanned");
    expect(spans.find((span) => span.name === "consumer lookup")).toMatchObject({ kind: 3, parentSpanId: server.spanId });
  });

  it("exports nothing for a request that is not sampled (sample 0, no sampled traceparent)", async () => {
    const [traceId] = [hex(32)];
    await traced("/items/7", { headers: { traceparent: `00-${traceId}-${hex(16)}-00` } });
    const { response } = await traced("/items/7");
    expect(await exported(traceId)).toEqual([]);
    expect(await exported(response.headers.get("traceresponse")!.split("-")[1])).toEqual([]);
  });
});

// The test env is what the gateway reads ${env.X} from; a missing OTLP_URL would silently export nothing.
it("has a collector address to export to", () =>
  expect(String((env as unknown as Record<string, unknown>).OTLP_URL)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/steady\/v1\/traces$/));
