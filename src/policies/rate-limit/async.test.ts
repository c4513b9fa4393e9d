/**
 * Async mode's cost and bound, inside workerd: the requests the RateLimiter
 * objects receive are counted on the real namespace, and the clock is frozen,
 * so a burst arrives at one instant whatever the machine's load.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import limits from "../../../test/.generated/limits/app.ts";
import { freezeClockPerTest } from "../../../test/support/clock.ts";

freezeClockPerTest();

/** The object a key of /async-hundred (limit 100 a minute, so a batch of 10) counts in. */
const objectOf = (key: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`/paths/~1async-hundred/get/x-portico/inbound/0\u0000header:${key}`));

/** The real RATE_LIMITER namespace, with the method calls its objects receive counted. */
function countingNamespace() {
  let calls = 0;
  const namespace = {
    idFromName: (name: string) => env.RATE_LIMITER.idFromName(name),
    get: (id: DurableObjectId) =>
      new Proxy(env.RATE_LIMITER.get(id), {
        get(stub, property) {
          if (property !== "check" && property !== "charge") return Reflect.get(stub, property);
          // Called as a method of the stub: an RPC method's own `apply` would be taken for another RPC method.
          return (...args: unknown[]) => (calls++, (stub as any)[property](...args));
        },
      }),
  };
  return { env: new Proxy(env, { get: (target, name) => (name === "RATE_LIMITER" ? namespace : Reflect.get(target, name)) }), calls: () => calls };
}

/**
 * Sends the requests at once, each with its own execution context; returns
 * their statuses once every response and every background report is done.
 */
async function sendAll(keys: string[], bindings: object) {
  const contexts: ExecutionContext[] = [];
  const responses = await Promise.all(
    keys.map((key) => {
      const ctx = createExecutionContext();
      contexts.push(ctx);
      return limits.fetch(new Request("https://api.example.com/async-hundred", { headers: { "x-bucket": key } }), bindings, ctx);
    }),
  );
  await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
  await Promise.all(responses.map((response) => response.body?.cancel()));
  return responses;
}

const statusCounts = (responses: Response[]) =>
  responses.reduce<Record<number, number>>((counts, r) => ({ ...counts, [r.status]: (counts[r.status] ?? 0) + 1 }), {});

describe("async mode: Durable Object requests", () => {
  it("1,000 requests over 100 keys under their limit make at most 100 Durable Object requests, and every request is counted", async () => {
    // Timers frozen too: no batch goes by its second, only when full (10 requests, a tenth of the limit).
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"], now: Date.now() });
    const keys = Array.from({ length: 100 }, () => crypto.randomUUID());
    const counting = countingNamespace();
    const responses = await sendAll(
      Array.from({ length: 1000 }, (_, i) => keys[i % keys.length]!),
      counting.env,
    );
    expect(statusCounts(responses)).toEqual({ 200: 1000 });
    console.log(`async, 100 keys × 10 requests: ${counting.calls()} Durable Object requests per 1,000 gateway requests`);
    expect(counting.calls()).toBeLessThanOrEqual(100);
    // Each key's object counted its 10: a strict look takes one more of 100.
    const remaining = await Promise.all(keys.map(async (key) => (await objectOf(key).check(100, 60)).remaining));
    expect(new Set(remaining)).toEqual(new Set([89]));
  });

  it("a batch not full goes a second after its first request, in one report", async () => {
    const key = crypto.randomUUID();
    const counting = countingNamespace();
    // 5 of a batch of 10: reported by the first request's timer, which its waitUntil waits for (real time).
    expect(statusCounts(await sendAll(Array(5).fill(key), counting.env))).toEqual({ 200: 5 });
    expect(counting.calls()).toBe(1);
    expect((await objectOf(key).check(100, 60)).remaining).toBe(94);
  });
});

describe("async mode: the over-admission bound", () => {
  it("one isolate alone is exact: 150 requests at once on a fresh key with limit 100 admit exactly 100, in 10 reports", async () => {
    const key = crypto.randomUUID();
    const counting = countingNamespace();
    const responses = await sendAll(Array(150).fill(key), counting.env);
    expect(statusCounts(responses)).toEqual({ 200: 100, 429: 50 });
    expect(counting.calls()).toBe(10);
    const refused = responses.find((response) => response.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("ratelimit")).toMatch(/;r=0;t=60$/);
  });

  it("a key another isolate has filled admits at most one batch more here (limit + a tenth), then refuses from the object's answer", async () => {
    const key = crypto.randomUUID();
    // Another isolate's report: 100 requests, the whole limit, that this isolate has not heard of.
    expect(await objectOf(key).charge(100, 60, 100)).toMatchObject({ allowed: true, remaining: 0 });
    const counting = countingNamespace();
    const responses = await sendAll(Array(30).fill(key), counting.env);
    // Admitted across both isolates: 100 + 10, the bound; one report told this isolate the key was full.
    expect(statusCounts(responses)).toEqual({ 200: 10, 429: 20 });
    expect(counting.calls()).toBe(1);
    // The key stays refused here without asking again until a request comes back.
    expect(statusCounts(await sendAll(Array(5).fill(key), counting.env))).toEqual({ 429: 5 });
    expect(counting.calls()).toBe(1);
  });
});
