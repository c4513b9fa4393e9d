import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/aggregate/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import type { Received } from "../../../test/support/upstream.ts";
import type { PartFailure } from "./options.ts";

type Answer = Record<string, unknown> & { _failures?: PartFailure[] };

async function answer(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: Answer }> {
  const response = await call(gateway, path, init);
  expect(response.headers.get("content-type")).toBe("application/json");
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
}

const header = (received: Received, name: string) => received.headers.filter(([found]) => found === name).map(([, value]) => value);

describe("aggregate: parts are sent together", () => {
  it("sends both parts at once: each is answered only while the other is at the upstream too", { timeout: 15_000 }, async () => {
    const { status, body } = await answer(`/together/${crypto.randomUUID()}`);
    expect(status).toBe(200);
    expect(body).toEqual({ left: { side: "left", met: true }, right: { side: "right", met: true } });
  });
});

describe("aggregate: when parts fail", () => {
  it("answers without the optional parts that failed, each null and listed in _failures", async () => {
    const { status, headers, body } = await answer("/partial");
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({
      user: { part: "user", query: "" },
      orders: null,
      stock: null,
      _failures: [
        { part: "orders", reason: "unreachable", detail: "The upstream could not be reached." },
        { part: "stock", reason: "status", status: 503, detail: "The upstream answered 503." },
      ],
    });
  });

  it("answers a whole answer with 200 and its cacheControl, a partial one with partialStatus and no-store", async () => {
    const whole = await answer("/complete");
    expect([whole.status, whole.headers.get("cache-control"), whole.body._failures]).toEqual([200, "private, max-age=60", undefined]);
    const partial = await answer("/flagged");
    expect([partial.status, partial.headers.get("cache-control")]).toEqual([207, "no-store"]);
    expect(partial.body.orders).toBeNull();
    expect(partial.body._failures).toEqual([{ part: "orders", reason: "status", status: 500, detail: "The upstream answered 500." }]);
  });

  it("answers a 502 problem naming the required part that could not be reached, without waiting for the others", async () => {
    // The other part is never answered: waiting for it would outlast the test.
    const response = await call(gateway, "/required-down");
    expect(response.status).toBe(502);
    const problem = (await problemOf(response)) as Awaited<ReturnType<typeof problemOf>> & { failures: PartFailure[] };
    expect(problem.detail).toBe('The required part "user" failed. The upstream could not be reached.');
    expect(problem.failures).toEqual([{ part: "user", reason: "unreachable", detail: "The upstream could not be reached." }]);
  });

  it("answers a 502 problem when a required part answers with an error status", async () => {
    const response = await call(gateway, "/required-status");
    expect(response.status).toBe(502);
    const problem = (await problemOf(response)) as Awaited<ReturnType<typeof problemOf>> & { failures: PartFailure[] };
    expect(problem.failures).toEqual([{ part: "user", reason: "status", status: 404, detail: "The upstream answered 404." }]);
  });

  it("gives up on an optional part after its timeout and answers with the rest", async () => {
    const { status, body } = await answer("/slow-optional");
    expect(status).toBe(200);
    expect(body).toEqual({
      user: { part: "user", query: "" },
      slow: null,
      _failures: [{ part: "slow", reason: "timeout", detail: "No whole answer within 300 ms." }],
    });
  });

  it("answers a 504 problem when a required part outlasts its timeout", async () => {
    const response = await call(gateway, "/slow-required");
    expect(response.status).toBe(504);
    expect((await problemOf(response)).detail).toBe('The required part "slow" failed. No whole answer within 300 ms.');
  });
});

describe("aggregate: what a part's answer becomes", () => {
  it("keeps JSON and text, makes nothing null, and fails bytes, broken JSON, redirects and bodies over maxPartBytes", async () => {
    const { status, body } = await answer("/kinds");
    expect(status).toBe(200);
    const { _failures: failures, ...values } = body;
    expect(values).toEqual({
      text: "plain words",
      bytes: null,
      broken: null,
      empty: null,
      fits: "x".repeat(4094),
      declared: null,
      chunked: null,
      moved: null,
    });
    expect(failures!.map(({ part, reason, status }) => [part, reason, status])).toEqual([
      ["bytes", "not-json", 200],
      ["broken", "invalid-json", 200],
      ["declared", "too-large", 200],
      ["chunked", "too-large", 200],
      ["moved", "status", 302],
    ]);
  });
});

describe("aggregate: urls filled from the request", () => {
  async function parts(path: string, init: RequestInit = {}, id = `reader-${crypto.randomUUID()}`) {
    const key = await storeConsumer({ id, tier: "gold" });
    const { status, body } = await answer(path, { ...init, headers: { "x-api-key": key, ...init.headers } });
    expect(status).toBe(200);
    return body as Record<"byParam" | "byQuery" | "byConsumer", Received>;
  }

  it("fills path and query parameters and the consumer id, each percent-encoded", async () => {
    const { byParam, byQuery, byConsumer } = await parts("/users/a%2Fb%3Fc?fields=name%2Cemail%20x&page=2", {}, "team/ana?x#y");
    expect(byParam.target).toBe("/v1/items/a%2Fb%3Fc");
    expect(byQuery.target).toBe("/v1/fields/name%2Cemail%20x?page=2");
    expect(byConsumer.target).toBe("/v1/consumers/team%2Fana%3Fx%23y");
  });

  it("cannot leave the path or change the host through any value", async () => {
    const { byParam, byQuery, byConsumer } = await parts("/users/..%2F..%2Fadmin?fields=%40evil.example%2F..%2F&page=1", {}, "@evil.example:80/");
    expect(byParam.target).toBe("/v1/items/..%2F..%2Fadmin");
    expect(byQuery.target).toBe("/v1/fields/%40evil.example%2F..%2F?page=1");
    expect(byConsumer.target).toBe("/v1/consumers/%40evil.example%3A80%2F");
  });

  it("fills an absent query parameter as empty, and refuses . or .. where it would be a path step", async () => {
    expect((await parts("/users/1")).byQuery.target).toBe("/v1/fields/?page=");
    const key = await storeConsumer({ id: `reader-${crypto.randomUUID()}` });
    const response = await call(gateway, "/users/1?fields=..", { headers: { "x-api-key": key } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).detail).toBe('The query parameter "fields" may not be "." or "..".');
  });

  it("sends who is calling and the trace, the caller's headers only where listed, and never its credentials", async () => {
    const { byParam, byConsumer } = await parts("/users/1", {
      headers: { "accept-language": "fr", cookie: "session=1", authorization: "Bearer secret", "cf-connecting-ip": "203.0.113.7" },
    });
    for (const received of [byParam, byConsumer]) {
      expect(header(received, "x-consumer-id")).toHaveLength(1);
      expect(header(received, "x-consumer-tier")).toEqual(["gold"]);
      expect(header(received, "x-forwarded-for")).toEqual(["203.0.113.7"]);
      expect(header(received, "x-forwarded-host")).toEqual(["api.example.com"]);
      expect(header(received, "accept")).toEqual(["application/json"]);
      expect(header(received, "traceparent")[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      for (const name of ["x-api-key", "authorization", "cookie"]) expect(header(received, name), name).toEqual([]);
    }
    expect(header(byConsumer, "accept-language")).toEqual(["fr"]);
    expect(header(byParam, "accept-language")).toEqual([]);
  });

  it("fails a part that names the consumer for a caller without one", async () => {
    const { body } = await answer("/maybe-consumer");
    expect(body.mine).toBeNull();
    expect(body._failures).toEqual([{ part: "mine", reason: "no-consumer", detail: "The request has no consumer, which the part's url names." }]);
  });

  it("fills ${query.x} in a named instance too", async () => {
    const { body } = await answer("/search?q=a%26b%3Dc");
    expect((body.results as Received).target).toBe("/v1/search?q=a%26b%3Dc");
  });
});

describe("aggregate: a merge module", () => {
  it("answers with the JSON value it returns, given the parts and the failures", async () => {
    const { status, headers, body } = await answer("/merged");
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({ name: "user", failed: ["orders"] });
  });

  it("answers with the Response it returns", async () => {
    const response = await call(gateway, "/merged", { headers: { accept: "text/plain" } });
    expect(await response.text()).toBe("user; failed: orders");
  });
});
