/**
 * `portico import zuplo`: the Zuplo projects under test/fixtures/zuplo/, each
 * written from Zuplo's documentation, are imported, built with compile() and
 * served by workerd (Miniflare) in front of a local echo upstream; each row of
 * the tables below cites the Zuplo page whose behaviour it expects.
 */
import { createServer, type Server } from "node:http";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveBundle, type Served } from "../../../bench/lib/gateway.ts";
import { bundleEntry } from "../../../bench/lib/workerd.ts";
import { compile } from "../../compiler/compile.ts";
import { generateApiKey } from "../../policies/authenticate/key-format.ts";
import { importZuplo } from "./import-zuplo.ts";

const repo = fileURLToPath(new URL("../../..", import.meta.url).href);
const fixture = (name: string) => join(repo, "test/fixtures/zuplo", name);
// Inside the repository, so the imported modules' `from "portico"` resolves as in a user's project.
const output = (name: string) => join(repo, "test/.generated", `zuplo-${name}`);
const DOCS = "https://zuplo.com/docs";
const API_KEY = generateApiKey();

let upstream: Server;
let upstreamUrl = "";

beforeAll(async () => {
  upstream = createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ url: request.url, headers: request.headers }));
  });
  await new Promise<void>((done) => upstream.listen(0, "127.0.0.1", done));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((done) => upstream.close(() => done())));

/** Imports the fixture, builds it, and serves it with the Durable Objects the built-ins need. */
async function serveImported(name: string): Promise<Served> {
  const project = output(name);
  rmSync(project, { recursive: true, force: true });
  importZuplo(fixture(name), project);
  const result = await compile({ root: project, outDir: join(project, ".portico") });
  if (result.errors.length > 0) throw new Error(result.errors.map((error) => error.format()).join("\n"));
  writeFileSync(join(project, "worker.ts"), `export { default } from "./.portico/app.ts";\nexport * from "./.portico/durable-objects.ts";\n`);
  const { dir, modules } = await bundleEntry(join(project, "worker.ts"), join(project, ".bundle"), `zuplo-${name}`);
  return serveBundle({
    bundle: join(dir, modules[0]),
    via: "direct",
    apiKey: API_KEY,
    bindings: { UPSTREAM_URL: upstreamUrl, GREETING: "hello", STAFF_JWKS_URL: "http://127.0.0.1:9/jwks.json" },
    durableObjects: { RATE_LIMITER: "RateLimiter", QUOTA: "QuotaCounter" },
    durableStorage: "memory",
    onLog: () => {},
  });
}

interface Row {
  doc: string;
  request: [string, RequestInit?];
  status: number;
  headers?: Record<string, string | null>; // PRESENT: any value
  /** What the upstream saw or the body says, checked on the JSON body. */
  body?: (json: any) => void;
}

async function runRows(served: () => Served, rows: Row[]) {
  for (const row of rows) {
    const [path, init] = row.request;
    const response = await fetch(new URL(path, served().url), { redirect: "manual", ...init });
    const text = await response.text();
    expect(response.status, `${init?.method ?? "GET"} ${path} (${row.doc}): ${text}`).toBe(row.status);
    for (const [header, value] of Object.entries(row.headers ?? {})) {
      if (value === PRESENT) expect(response.headers.get(header), `${path} ${header}`).toBeTruthy();
      else expect(response.headers.get(header), `${path} ${header}`).toBe(value);
    }
    row.body?.(JSON.parse(text));
  }
}

/** A header that must be there, whatever its value. */
const PRESENT = "(present)";
const key = { authorization: `Bearer ${API_KEY}` };

describe("portico import zuplo: built-in handlers and policies", () => {
  let served: Served;
  beforeAll(async () => void (served = await serveImported("mapped")), 120_000);
  afterAll(() => served?.close());

  it("reports nothing unmapped", () => {
    expect(readFileSync(join(output("mapped"), "IMPORT-REPORT.md"), "utf8")).toContain("Nothing: every route");
  });

  it("answers as the Zuplo documentation says", async () => {
    await runRows(
      () => served,
      [
        { doc: `${DOCS}/policies/api-key-inbound`, request: ["/echo/1"], status: 401, headers: { "www-authenticate": PRESENT } },
        {
          doc: `${DOCS}/handlers/url-forward, /policies/set-headers-inbound, /policies/set-query-params-inbound, /policies/remove-headers-inbound, /policies/set-headers-outbound`,
          request: ["/echo/1?q=a", { headers: { ...key, "x-debug": "1" } }],
          status: 200,
          headers: { "x-powered-by": "gateway" },
          body: (json) => {
            expect(json.url).toBe("/echo/1?q=a&version=2");
            expect(json.headers["x-tenant"]).toBe("acme");
            expect(json.headers["x-debug"]).toBeUndefined();
          },
        },
        {
          doc: `${DOCS}/programmable-api/custom-cors-policy`,
          request: ["/echo/1", { headers: { ...key, origin: "https://app.example.com" } }],
          status: 200,
          headers: { "access-control-allow-origin": "https://app.example.com", "access-control-allow-credentials": "true" },
        },
        {
          doc: `${DOCS}/policies/rate-limit-inbound (rateLimitBy ip, 2 a minute)`,
          request: ["/echo/1", { headers: key }],
          status: 429,
          headers: { "retry-after": PRESENT },
        },
        {
          doc: `${DOCS}/handlers/url-rewrite, /articles/cors (anything-goes)`,
          request: ["/public", { headers: { origin: "https://any.example" } }],
          status: 200,
          headers: { "access-control-allow-origin": "*" },
          body: (json) => expect(json.url).toBe("/rewritten"),
        },
        { doc: `${DOCS}/handlers/redirect`, request: ["/old"], status: 301, headers: { location: "/new" } },
        { doc: `${DOCS}/policies/mock-api-inbound`, request: ["/mocked"], status: 200, body: (json) => expect(json).toEqual({ mocked: true }) },
        {
          doc: `${DOCS}/policies/request-size-limit-inbound`,
          request: ["/upload", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "x".repeat(100) }) }],
          status: 413,
        },
        {
          doc: `${DOCS}/policies/request-validation-inbound`,
          request: ["/upload", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }],
          status: 400,
        },
        {
          doc: `${DOCS}/policies/request-validation-inbound`,
          request: ["/upload", { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"a"}' }],
          status: 200,
        },
        { doc: `${DOCS}/policies/open-id-jwt-auth-inbound`, request: ["/staff"], status: 401 },
        { doc: `${DOCS}/policies/ip-address-restriction-inbound`, request: ["/office"], status: 403 },
        { doc: `${DOCS}/policies/quota-inbound (1 request a month)`, request: ["/metered", { headers: key }], status: 200 },
        { doc: `${DOCS}/policies/quota-inbound (1 request a month)`, request: ["/metered", { headers: key }], status: 429 },
      ],
    );
  });
});

describe("portico import zuplo: custom modules", () => {
  let served: Served;
  beforeAll(async () => void (served = await serveImported("custom")), 120_000);
  afterAll(() => served?.close());

  it("runs the modules through the adapter as the Zuplo documentation says", async () => {
    await runRows(
      () => served,
      [
        {
          doc: `${DOCS}/handlers/custom-handler, /programmable-api/environment, /policies/custom-code-inbound, /policies/custom-code-outbound`,
          request: ["/hello/ada"],
          status: 200,
          headers: { "x-stamp": "hello" },
          body: (json) => expect(json).toEqual({ greeting: "hello, ada", tag: "checked" }),
        },
        { doc: `${DOCS}/policies/custom-code-inbound (a Response ends the request)`, request: ["/hello/ada", { headers: { "x-flagged": "1" } }], status: 403 },
        { doc: `${DOCS}/rate-limiting/dynamic-rate-limiting`, request: ["/hello/ada", { headers: { "x-tenant": "t1" } }], status: 200 },
        { doc: `${DOCS}/rate-limiting/dynamic-rate-limiting (requestsAllowed 1)`, request: ["/hello/ada", { headers: { "x-tenant": "t1" } }], status: 429 },
        { doc: `${DOCS}/rate-limiting/dynamic-rate-limiting (another key)`, request: ["/hello/ada", { headers: { "x-tenant": "t2" } }], status: 200 },
      ],
    );
  });
});

describe("portico import zuplo: what has no counterpart", () => {
  it("lists exactly the unmapped parts, and the build stops at each", async () => {
    const project = output("unmappable");
    rmSync(project, { recursive: true, force: true });
    const { state } = importZuplo(fixture("unmappable"), project);
    expect(state.unmapped.map((u) => `${u.file} ${u.place}`)).toEqual([
      'config/policies.json policies[0] "cache" (caching-inbound)',
      "config/routes.oas.json /paths/~1lambda/post/x-zuplo-route/handler",
      "modules/token.ts line 1",
    ]);
    const report = readFileSync(join(project, "IMPORT-REPORT.md"), "utf8");
    expect(report.match(/^\| (config|modules)\//gm)).toHaveLength(3);
    const { errors } = await compile({ root: project, check: true, typecheck: false });
    expect(errors.map((error) => error.format()).join("\n")).toMatch(
      /zuplo-unmapped\/cache\.ts[\s\S]*zuplo-unmapped\/post--lambda-handler\.ts[\s\S]*ZuploServices/,
    );
    expect(errors).toHaveLength(3);
  });
});
