import { env } from "cloudflare:workers";
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import limits from "../.generated/limits/app.ts";
import login from "../.generated/login/app.ts";
import { call, problemOf } from "../support/call.ts";
import { elapse, freezeClockPerTest } from "../support/clock.ts";
import { storeConsumer } from "../support/consumers.ts";
import { hits } from "../support/tokens.ts";
import type { RateLimiter } from "../../src/policies/rate-limit/rate-limiter.ts";

// Every count below is exact: with the clock frozen a burst arrives at one instant, and no
// token comes back unless a test moves the clock (at 100 per 60 s one returns every 0.6 s).
freezeClockPerTest();

const bucket = () => crypto.randomUUID();

/** Sends `n` requests at once; returns their statuses and the probe their upstream hits are counted under. */
async function burst(path: string, n: number, headers: Record<string, string>) {
  const probe = crypto.randomUUID();
  const responses = await Promise.all(Array.from({ length: n }, () => call(limits, path, { headers: { ...headers, "x-probe": probe } })));
  return { responses, probe, statuses: responses.map((r) => r.status) };
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

async function sequence(gateway: typeof limits, path: string, n: number, headers: Record<string, string>) {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await call(gateway, path, { headers })).status);
  return statuses;
}

describe("R1: exact admission in strict mode", () => {
  it("500 concurrent requests against L = 100 admit exactly 100, every time over 20 runs; 429s never reach the upstream", { timeout: 120_000 }, async () => {
    const admitted: number[] = [];
    for (let run = 0; run < 20; run++) {
      const { responses, statuses, probe } = await burst("/strict", 500, { "x-bucket": bucket() });
      admitted.push(count(statuses, 200));
      expect(count(statuses, 429)).toBe(400);
      expect(await hits(probe)).toBe(100);
      const refused = responses.find((r) => r.status === 429)!;
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get("ratelimit-policy")).toBe('"per-bucket";q=100;w=60');
      expect(refused.headers.get("ratelimit")).toMatch(/^"per-bucket";r=0;t=\d+$/);
      const body = await problemOf(refused);
      expect(body.status).toBe(429);
      expect(body.requestId).toBeTruthy();
      await Promise.all(responses.map((r) => (r.bodyUsed ? undefined : r.body?.cancel())));
    }
    console.log(`R1: admitted per run over 20 runs: min ${Math.min(...admitted)}, max ${Math.max(...admitted)}`);
    expect(new Set(admitted)).toEqual(new Set([100]));
  });

  it("puts RateLimit headers on every response of a limited route, remaining falling one by one", async () => {
    const headers = { "x-bucket": bucket() };
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push((await call(limits, "/strict", { headers })).headers.get("ratelimit")!);
    expect(seen.map((value) => Number(/r=(\d+)/.exec(value)![1]))).toEqual([99, 98, 97]);
  });
});

describe("admission exactness over L and N", () => {
  it("admits exactly L of N concurrent requests, with no spread over 20 runs, for L in {1, 10, 100} and N in {L, 2L, 10L}", { timeout: 300_000 }, async () => {
    const rows: string[] = [];
    for (const limit of [1, 10, 100]) {
      for (const n of [limit, 2 * limit, 10 * limit]) {
        const admitted: number[] = [];
        for (let run = 0; run < 20; run++) {
          const headers = { "x-bucket": bucket() };
          const responses = await Promise.all(Array.from({ length: n }, () => call(limits, `/exact/${limit}`, { headers })));
          admitted.push(
            count(
              responses.map((r) => r.status),
              200,
            ),
          );
          await Promise.all(responses.map((r) => r.body?.cancel()));
        }
        rows.push(`L=${limit} N=${n}: admitted min ${Math.min(...admitted)} max ${Math.max(...admitted)}`);
        expect(new Set(admitted)).toEqual(new Set([limit]));
      }
    }
    console.log(`Admission exactness (20 runs each):\n${rows.join("\n")}`);
  });
});

describe("R2: keys and instances are isolated", () => {
  it("50 keys × 10 interleaved requests with L = 5: each key exactly 5", { timeout: 60_000 }, async () => {
    const keys = Array.from({ length: 50 }, bucket);
    const requests = keys.flatMap((key) => Array.from({ length: 10 }, () => key));
    requests.sort(() => Math.random() - 0.5);
    const statuses = await Promise.all(requests.map((key) => call(limits, "/five", { headers: { "x-bucket": key } }).then((r) => [key, r.status] as const)));
    for (const key of keys) expect(statuses.filter(([k, s]) => k === key && s === 200).length).toBe(5);
  });

  it("a named policy shares its counters across operations; the same options inline elsewhere do not", async () => {
    const shared = { "x-bucket": bucket() };
    await sequence(limits, "/strict", 100, shared);
    expect((await call(limits, "/strict-too", { headers: shared })).status).toBe(429);
    const own = { "x-bucket": bucket() };
    expect(count(await sequence(limits, "/five", 6, own), 200)).toBe(5);
    expect(count(await sequence(limits, "/five-other", 6, own), 200)).toBe(5);
  });
});

describe("R3: the window rolls over", () => {
  it("refuses with Retry-After to the second, then admits the first request after it", async () => {
    const headers = { "x-bucket": bucket() };
    expect(await sequence(limits, "/short", 2, headers)).toEqual([200, 200]);
    const refused = await call(limits, "/short", { headers });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBe(1); // limit 2 per 2 s: one request comes back every second
    elapse(retryAfter * 1000 - 1);
    expect((await call(limits, "/short", { headers })).status).toBe(429);
    elapse(1);
    expect((await call(limits, "/short", { headers })).status).toBe(200);
    expect((await call(limits, "/short", { headers })).status).toBe(429);
  });
});

describe("R4: keys come from the connection and the consumer, never from client headers", () => {
  it("a spoofed X-Forwarded-For or forged CF headers elsewhere do not change the bucket", async () => {
    const ip = "203.0.113.77";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await call(limits, "/by-ip", {
        headers: { "cf-connecting-ip": ip, "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `192.0.2.${i}`, "true-client-ip": `192.0.2.${i}` },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await call(limits, "/by-ip", { headers: { "cf-connecting-ip": "203.0.113.78" } })).status).toBe(200);
  });

  it("an IPv6 caller rotating through the /64s of one /48 gets at most 8 times the limit; another /48 is counted apart", async () => {
    const from = (address: string) => call(limits, "/one-per-address", { headers: { "cf-connecting-ip": address } }).then((r) => r.status);
    const rotated: number[] = [];
    for (let net = 1; net <= 20; net++) rotated.push(await from(`2001:db8:4801:${net.toString(16)}::1`));
    expect(count(rotated, 200)).toBe(8);
    expect(await from("2001:db8:4802:1::1")).toBe(200);
  });

  it("ipv6Aggregate: 0 counts each /64 alone; ipv4Aggregate counts an IPv4 /24 when set", async () => {
    const from = (address: string) => call(limits, "/one-per-address-no-network", { headers: { "cf-connecting-ip": address } }).then((r) => r.status);
    const v6: number[] = [];
    for (let net = 1; net <= 20; net++) v6.push(await from(`2001:db8:4803:${net.toString(16)}::1`));
    expect(count(v6, 200)).toBe(20);
    const v4: number[] = [];
    for (let host = 1; host <= 10; host++) v4.push(await from(`198.51.100.${host}`));
    expect(count(v4, 200)).toBe(4);
  });

  it("IPv6 addresses in one /64 share a bucket; another /64 has its own", async () => {
    const a = (host: string) => call(limits, "/by-ip", { headers: { "cf-connecting-ip": `2001:db8:77:1::${host}` } }).then((r) => r.status);
    expect([await a("1"), await a("2"), await a("ffff"), await a("3")]).toEqual([200, 200, 200, 429]);
    expect((await call(limits, "/by-ip", { headers: { "cf-connecting-ip": "2001:db8:77:2::1" } })).status).toBe(200);
  });

  it("per-tier limits follow the consumer across addresses; anonymous callers are limited by address", async () => {
    const free = await storeConsumer({ id: `free-${bucket()}`, tier: "free" });
    const paid = await storeConsumer({ id: `paid-${bucket()}`, tier: "paid" });
    const from = (key: string, i: number) => ({ "x-api-key": key, "cf-connecting-ip": `198.51.100.${i}` });
    const run = async (key: string, n: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < n; i++) statuses.push((await call(limits, "/tiers", { headers: from(key, i) })).status);
      return statuses;
    };
    expect(count(await run(free, 4), 200)).toBe(2);
    expect(count(await run(paid, 7), 200)).toBe(5);
    const anonymous = { "cf-connecting-ip": "192.0.2.200" };
    expect(await sequence(limits, "/tiers", 2, anonymous)).toEqual([200, 429]);
  });

  it("a key function from policies/ picks the key and the limit, or leaves a request unlimited", async () => {
    const tenant = (name: string) => ({ "x-tenant": name });
    const small = `small-${bucket()}`;
    expect(await sequence(limits, "/custom", 3, tenant(small))).toEqual([200, 200, 429]);
    expect(count(await sequence(limits, "/custom", 6, tenant("big")), 200)).toBe(4);
    expect(count(await sequence(limits, "/custom", 10, {}), 200)).toBe(10);
    // A key function's bad answer is the author's bug: a 500 problem, never an unlimited key.
    expect(await sequence(limits, "/custom", 2, tenant("broken"))).toEqual([500, 500]);
  });
});

describe("exact at every limit", () => {
  it("a burst of exactly L is admitted in full where the window does not divide evenly (7 or 11 a second, 7 an hour)", async () => {
    for (const [limit, window] of [
      [7, 1],
      [7, 3600],
      [6, 1],
      [11, 1],
      [3, 1],
      [100, 3600],
    ]) {
      const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`ties-${bucket()}`));
      // The clock is frozen: the whole burst at one instant.
      const admitted = await runInDurableObject(stub, async (limiter: RateLimiter) => {
        let allowed = 0;
        for (let i = 0; i <= limit; i++) if ((await limiter.check(limit, window)).allowed) allowed++;
        return allowed;
      });
      expect(admitted, `${limit} per ${window} s`).toBe(limit);
    }
  });
});

describe("R5: counts survive the object being restarted", () => {
  it("a window's total stays exactly L across a restart of its object", async () => {
    const key = bucket();
    const headers = { "x-bucket": key };
    expect(await sequence(limits, "/five", 3, headers)).toEqual([200, 200, 200]);
    const id = env.RATE_LIMITER.idFromName(`/paths/~1five/get/x-portico/inbound/0\u0000header:${key}`);
    const stub = env.RATE_LIMITER.get(id);
    // The right object: it holds this key's state.
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.get("tat"))).toBeGreaterThan(0);
    // Reset the object as the platform would on eviction: its memory goes, its storage stays.
    await runInDurableObject(stub, (_instance, state) => state.abort("restart")).catch(() => {});
    expect(await sequence(limits, "/five", 4, headers)).toEqual([200, 200, 429, 429]);
  });
});

describe("R6: failed logins are counted by address before authentication", () => {
  it("20 bad keys with L = 10: ten 401s, then 429s", async () => {
    const headers = { "cf-connecting-ip": "198.51.100.250", "x-api-key": "ptk_notARealKey" };
    const statuses = await sequence(login, "/account", 20, headers);
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(10).fill(429)]);
  });
});

describe("async mode and fail modes", () => {
  it("async: requests go on at once; a key found at its limit is refused from memory, then decided strictly", async () => {
    const headers = { "x-bucket": bucket() };
    // Sequential callers: each background answer is in before the next request, so exactly L pass.
    expect(await sequence(limits, "/async", 8, headers)).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    // Concurrent callers in one isolate: exactly L too, the isolate's copy of the count deciding.
    const burstKey = { "x-bucket": bucket() };
    const first = await burst("/async", 6, burstKey);
    expect(count(first.statuses, 200)).toBe(3);
    expect((await call(limits, "/async", { headers: burstKey })).status).toBe(429);
  });

  it("async: every answer carries an honest RateLimit item, remaining as last known and t counted down, refusals from memory too", async () => {
    const headers = { "x-bucket": bucket() };
    const items: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await call(limits, "/async", { headers });
      items.push(response.headers.get("ratelimit") ?? "none");
    }
    // limit 3 a minute: one request adds 20 s until full.
    expect(items.slice(0, 3)).toEqual(['"asyncLimit-0";r=2;t=20', '"asyncLimit-0";r=1;t=40', '"asyncLimit-0";r=0;t=60']);
    expect(items[3]).toBe('"asyncLimit-0";r=0;t=60');
    elapse(15_000);
    const later = await call(limits, "/async", { headers });
    expect(later.status).toBe(429);
    expect(later.headers.get("ratelimit")).toBe('"asyncLimit-0";r=0;t=45');
  });

  it("async, steady state: after Retry-After a key at its limit gets exactly the requests that came back, not a new burst", async () => {
    const headers = { "x-bucket": bucket() };
    expect(await sequence(limits, "/async-short", 3, headers)).toEqual([200, 200, 429]);
    elapse(999); // one request comes back per second: not yet
    expect(await sequence(limits, "/async-short", 1, headers)).toEqual([429]);
    elapse(1);
    expect(await sequence(limits, "/async-short", 3, headers)).toEqual([200, 429, 429]);
  });

  it("async: a hot key's requests are all counted, 50 of a batch of 100 in one report a second after the first", async () => {
    const key = bucket();
    const asked = { check: 0, charge: 0 };
    // The real namespace, its objects' calls counted on the way.
    const counting = {
      idFromName: (name: string) => env.RATE_LIMITER.idFromName(name),
      get(id: DurableObjectId) {
        const stub = env.RATE_LIMITER.get(id);
        return {
          check: (...args: Parameters<RateLimiter["check"]>) => (asked.check++, stub.check(...args)),
          charge: (...args: Parameters<RateLimiter["charge"]>) => (asked.charge++, stub.charge(...args)),
        };
      },
    };
    const countingEnv = new Proxy(env, { get: (target, name) => (name === "RATE_LIMITER" ? counting : Reflect.get(target, name)) });
    const send = async () => {
      const ctx = createExecutionContext();
      const response = await limits.fetch(new Request("https://api.example.com/async-hot", { headers: { "x-bucket": key } }), countingEnv, ctx);
      await waitOnExecutionContext(ctx);
      return response.status;
    };
    const statuses = await Promise.all(Array.from({ length: 50 }, send));
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(asked).toEqual({ check: 0, charge: 1 });
    // All 50 were counted: the object has 1000 − 50 left, and a strict look takes one more.
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`/paths/~1async-hot/get/x-portico/inbound/0\u0000header:${key}`));
    expect((await stub.check(1000, 60)).remaining).toBe(949);
  });

  it("the counter's charge counts requests already let through, all of them, but leaves a key no more than a window in debt", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`charge-${bucket()}`));
    expect(await stub.charge(10, 60, 4)).toMatchObject({ allowed: true, remaining: 6, retryAfter: 0 });
    // 29 let through against a limit of 10: the bucket is empty, the next request one interval (6 s) away.
    expect(await stub.charge(10, 60, 25)).toMatchObject({ allowed: false, remaining: 0, retryAfter: 6 });
    expect(await stub.check(10, 60)).toMatchObject({ allowed: false, retryAfter: 6 });
    const full = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`charge-${bucket()}`));
    expect(await full.charge(10, 60, 10)).toMatchObject({ allowed: true, remaining: 0 });
    const refused = await stub.charge(10, 60, 0).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String(refused)).toContain("count must be a whole number");
  });

  it("async with failMode closed: a counter that cannot answer makes the following requests 503", async () => {
    expect((await call(limits, "/async-fail-closed")).status).toBe(200);
    const refused = await call(limits, "/async-fail-closed");
    expect(refused.status).toBe(503);
  });

  it("failMode closed answers 503 when the counter cannot answer; open lets the request through", async () => {
    const closed = await call(limits, "/fail-closed");
    expect(closed.status).toBe(503);
    expect((await problemOf(closed)).detail).toContain("rate limiter");
    const lines: string[] = [];
    const error = console.error;
    console.error = (line: string) => void lines.push(String(line));
    try {
      expect((await call(limits, "/fail-open")).status).toBe(200);
    } finally {
      console.error = error;
    }
    expect(lines.map((line) => JSON.parse(line).message)).toContain("rate limiter unavailable");
  });
});

beforeAll(() => {
  expect(env.RATE_LIMITER).toBeDefined();
});
