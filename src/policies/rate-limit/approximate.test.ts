/**
 * Approximate mode inside workerd, against the Workers Rate Limiting bindings
 * vitest.config.ts declares (as test/fixtures/gateways/approximate/wrangler.toml
 * does). Their windows are fixed and aligned to the clock (10 s here), so the
 * clock stays real and each test starts early in a window.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import approximate from "../../../test/.generated/approximate/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import { logsOf } from "../../../test/support/faults.ts";

const PERIOD_MS = 10_000;

/** Waits for the next 10-s window when less than 4 s of this one are left: a test's few requests then fall in one window. */
async function earlyInWindow(): Promise<void> {
  const left = PERIOD_MS - (Date.now() % PERIOD_MS);
  if (left < 4_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** The env, with calls to the RateLimiter objects counted: approximate mode makes none. */
function countingDurableObjects() {
  let calls = 0;
  const namespace = {
    idFromName: (name: string) => (calls++, env.RATE_LIMITER.idFromName(name)),
    get: (id: DurableObjectId) => (calls++, env.RATE_LIMITER.get(id)),
  };
  return { env: new Proxy(env, { get: (target, name) => (name === "RATE_LIMITER" ? namespace : Reflect.get(target, name)) }), calls: () => calls };
}

async function statuses(path: string, n: number, headers: Record<string, string>, bindings: object = env) {
  const responses: Response[] = [];
  for (let i = 0; i < n; i++) responses.push(await call(approximate, path, { headers }, bindings));
  return responses;
}

describe("rate-limit, mode approximate", () => {
  it("N + 1 requests over a 10-s limit of N: the last is a 429 with Retry-After: 10 and RateLimit-Policy, no remaining count, no Durable Object", async () => {
    await earlyInWindow();
    const counting = countingDurableObjects();
    const headers = { "x-bucket": crypto.randomUUID() };
    const responses = await statuses("/bucket", 6, headers, counting.env);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 429]);
    for (const response of responses) {
      expect(response.headers.get("ratelimit-policy")).toBe('"per-bucket";q=5;w=10');
      expect(response.headers.get("ratelimit")).toBeNull();
    }
    const refused = responses[5]!;
    expect(refused.headers.get("retry-after")).toBe("10");
    const problem = await problemOf(refused);
    expect(problem.status).toBe(429);
    expect(problem.detail).toContain("the limit is 5");
    expect(counting.calls()).toBe(0);
    // Another key has its own count.
    expect((await call(approximate, "/bucket", { headers: { "x-bucket": crypto.randomUUID() } })).status).toBe(200);
  });

  it("each tier counts in its own binding: a paid consumer gets 8 per 10 s, one of a tier not listed the policy's 5", async () => {
    await earlyInWindow();
    const paid = await storeConsumer({ id: `paid-${crypto.randomUUID()}`, tier: "paid" });
    const free = await storeConsumer({ id: `free-${crypto.randomUUID()}`, tier: "free" });
    const paidAnswers = await statuses("/tiers", 9, { "x-api-key": paid });
    expect(paidAnswers.map((response) => response.status)).toEqual([...Array(8).fill(200), 429]);
    expect(paidAnswers[8]!.headers.get("ratelimit-policy")).toBe('"tiers-0";q=8;w=10');
    const freeAnswers = await statuses("/tiers", 6, { "x-api-key": free });
    expect(freeAnswers.map((response) => response.status)).toEqual([...Array(5).fill(200), 429]);
  });

  it("a binding missing at run time: failMode closed answers 503, open lets the request through and logs", async () => {
    const closed = await call(approximate, "/unbound-closed");
    expect(closed.status).toBe(503);
    expect(closed.headers.get("retry-after")).toBe("1");
    expect((await problemOf(closed)).detail).toContain("rate limiter");
    const logs = await logsOf(async () => {
      expect((await call(approximate, "/unbound-open")).status).toBe(200);
    });
    expect(logs.filter((line) => line.message === "rate limiter unavailable").map((line) => line.binding)).toEqual(["UNBOUND_LIMIT"]);
  });
});
