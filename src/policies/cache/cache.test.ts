import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumer, fresh, get, HIT, notStored, query, STORED, upstreamHits } from "../../../test/support/cache-calls.ts";
import { hooksOf } from "../../../test/support/hooks.ts";
import { createContext, finishResponse } from "../../runtime/context.ts";
import { cache } from "./cache.ts";
import { cacheKey, cookieValues, KEY_ORIGIN } from "./key.ts";
import type { CacheOptions, CachePrepared } from "./options.ts";
import { decide, parseCacheControl, type StoreRules } from "./storable.ts";

const sixtySeconds = query({ cc: "max-age=60" });

describe("cache: a repeated GET is answered from the cache", () => {
  it("answers the second GET from the cache: one upstream hit, the same body, Age and Cache-Status", async () => {
    const key = fresh();
    const first = await get(`/public/count/${key}${sixtySeconds}`);
    expect(first).toMatchObject({ status: 200, cacheStatus: STORED });
    expect(first.body).toMatchObject({ key, hit: 1 });
    const second = await get(`/public/count/${key}${sixtySeconds}`);
    expect(second).toMatchObject({ status: 200, cacheStatus: HIT, text: first.text });
    expect(second.age).toMatch(/^\d+$/);
    expect(Number(second.age)).toBeLessThan(60);
    expect(second.headers.get("cache-control")).toBe("max-age=60");
    expect(second.headers.get("content-type")).toBe("application/json");
    expect(second.headers.has("x-portico-cache")).toBe(false);
    expect(second.headers.has("cf-cache-status")).toBe(false);
    expect(await upstreamHits(key)).toBe(1);
  });

  it("counts the upstream's own Age into the Age of a hit", async () => {
    const key = fresh();
    await get(`/public/count/${key}${query({ cc: "max-age=600", age: "100" })}`);
    const hit = await get(`/public/count/${key}${query({ cc: "max-age=600", age: "100" })}`);
    expect(hit.cacheStatus).toBe(HIT);
    expect(Number(hit.age)).toBeGreaterThanOrEqual(100);
    expect(Number(hit.age)).toBeLessThan(700);
  });

  it("answers HEAD from the GET entry, without a body", async () => {
    const key = fresh();
    await get(`/public/count/${key}${sixtySeconds}`);
    const head = await get(`/public/count/${key}${sixtySeconds}`, { method: "HEAD" });
    expect(head).toMatchObject({ status: 200, cacheStatus: HIT, text: "" });
    expect(head.headers.get("content-type")).toBe("application/json");
    expect(await upstreamHits(key)).toBe(1);
  });

  it("forwards a HEAD that misses and stores nothing for the GETs from it", async () => {
    const key = fresh();
    const head = await get(`/public/count/${key}${sixtySeconds}`, { method: "HEAD" });
    expect(head).toMatchObject({ status: 200, cacheStatus: notStored("head"), text: "" });
    expect((await get(`/public/count/${key}${sixtySeconds}`)).cacheStatus).toBe(STORED);
    expect(await upstreamHits(key)).toBe(2);
  });

  it("serves the cached answer to a client that sends Cache-Control: no-cache", async () => {
    const key = fresh();
    await get(`/public/count/${key}${sixtySeconds}`);
    const again = await get(`/public/count/${key}${sixtySeconds}`, { headers: { "cache-control": "no-cache", pragma: "no-cache" } });
    expect(again.cacheStatus).toBe(HIT);
    expect(await upstreamHits(key)).toBe(1);
  });
});

describe("cache: what keys an entry", () => {
  it("shares an entry between declared query parameters in any order, and ignores undeclared ones", async () => {
    const key = fresh();
    const path = `/public/count/${key}`;
    expect((await get(`${path}?a=1&b=2&a=0&cc=max-age%3D60`)).cacheStatus).toBe(STORED);
    expect((await get(`${path}?b=2&a=0&a=1&cc=max-age%3D60`)).cacheStatus).toBe(HIT);
    expect((await get(`${path}?cc=max-age%3D60&a=0&junk=x&b=2&a=1&utm_source=mail`)).cacheStatus).toBe(HIT);
    expect((await get(`${path}?a=1&b=3&a=0&cc=max-age%3D60`)).cacheStatus).toBe(STORED);
    expect((await get(`${path}?a=1&b=2&cc=max-age%3D60`)).cacheStatus).toBe(STORED);
    expect(await upstreamHits(key)).toBe(3);
  });

  it("splits entries by a header listed in vary, its value trimmed", async () => {
    const key = fresh();
    const path = `/language/count/${key}${sixtySeconds}`;
    expect(await get(path, { headers: { "accept-language": "en" } })).toMatchObject({ cacheStatus: STORED, body: { language: "en" } });
    expect(await get(path, { headers: { "accept-language": "  en " } })).toMatchObject({ cacheStatus: HIT, body: { language: "en" } });
    expect(await get(path, { headers: { "accept-language": "fr" } })).toMatchObject({ cacheStatus: STORED, body: { language: "fr" } });
    expect(await get(path)).toMatchObject({ cacheStatus: STORED, body: { language: null } });
    expect(await get(path, { headers: { "accept-language": "fr" } })).toMatchObject({ cacheStatus: HIT, body: { language: "fr" } });
    expect(await upstreamHits(key)).toBe(3);
  });

  it("does not store an answer that Varies on a header the key does not hold", async () => {
    const unkeyed = fresh();
    const vary = query({ cc: "max-age=60", vary: "Accept-Language" });
    expect((await get(`/public/count/${unkeyed}${vary}`)).cacheStatus).toBe(notStored("vary"));
    expect((await get(`/public/count/${unkeyed}${query({ cc: "max-age=60", vary: "*" })}`)).cacheStatus).toBe(notStored("vary"));
    expect((await get(`/public/count/${unkeyed}${query({ cc: "max-age=60", vary: "Accept-Encoding" })}`)).cacheStatus).toBe(STORED);
    const keyed = fresh();
    expect((await get(`/language/count/${keyed}${vary}`)).cacheStatus).toBe(STORED);
    expect((await get(`/language/count/${keyed}${vary}`)).cacheStatus).toBe(HIT);
  });
});

describe("cache: per consumer", () => {
  it("10 consumers × 20 interleaved requests: each gets only its own answers, and the upstream is asked once per consumer", async () => {
    const key = fresh();
    const readers = await Promise.all(Array.from({ length: 10 }, consumer));
    let leaks = 0;
    const statuses = new Map<string, number>();
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(readers.map((reader) => get(`/private/count/${key}${sixtySeconds}`, { headers: reader.headers })));
      answers.forEach((answer, i) => {
        expect(answer.status).toBe(200);
        if (answer.body?.consumer !== readers[i].id) leaks++;
        statuses.set(answer.cacheStatus!, (statuses.get(answer.cacheStatus!) ?? 0) + 1);
      });
    }
    expect(leaks).toBe(0);
    expect(Object.fromEntries(statuses)).toEqual({ [STORED]: 10, [HIT]: 190 });
    expect(await upstreamHits(key)).toBe(10);
  });

  it("stores a private answer for its consumer only", async () => {
    const key = fresh();
    const [alice, bob] = [await consumer(), await consumer()];
    const path = `/private/count/${key}${query({ cc: "private, max-age=60" })}`;
    expect(await get(path, { headers: alice.headers })).toMatchObject({ cacheStatus: STORED, body: { consumer: alice.id } });
    expect(await get(path, { headers: alice.headers })).toMatchObject({ cacheStatus: HIT, body: { consumer: alice.id } });
    expect(await get(path, { headers: bob.headers })).toMatchObject({ cacheStatus: STORED, body: { consumer: bob.id } });
    expect((await get(path, { headers: alice.headers })).headers.get("cache-control")).toBe("private, max-age=60");
  });

  it("shares answers between consumers only where by: shared is written, and never a private one", async () => {
    const key = fresh();
    const [alice, bob] = [await consumer(), await consumer()];
    expect(await get(`/shared/count/${key}${sixtySeconds}`, { headers: alice.headers })).toMatchObject({ cacheStatus: STORED, body: { consumer: alice.id } });
    expect(await get(`/shared/count/${key}${sixtySeconds}`, { headers: bob.headers })).toMatchObject({ cacheStatus: HIT, body: { consumer: alice.id } });
    const secret = fresh();
    const path = `/shared/count/${secret}${query({ cc: "private, max-age=60" })}`;
    expect(await get(path, { headers: alice.headers })).toMatchObject({ cacheStatus: notStored("private"), body: { consumer: alice.id } });
    expect(await get(path, { headers: bob.headers })).toMatchObject({ cacheStatus: notStored("private"), body: { consumer: bob.id } });
  });

  it("keeps callers without a key in an anonymous entry of their own, where the operation allows them", async () => {
    const key = fresh();
    const alice = await consumer();
    const path = `/optional/count/${key}${sixtySeconds}`;
    expect(await get(path)).toMatchObject({ cacheStatus: STORED, body: { consumer: null } });
    expect(await get(path, { headers: alice.headers })).toMatchObject({ cacheStatus: STORED, body: { consumer: alice.id } });
    expect(await get(path)).toMatchObject({ cacheStatus: HIT, body: { consumer: null } });
    expect(await get(path, { headers: alice.headers })).toMatchObject({ cacheStatus: HIT, body: { consumer: alice.id } });
    expect(await upstreamHits(key)).toBe(2);
  });

  it("still authenticates and rate-limits a request its cache would answer", async () => {
    const key = fresh();
    const alice = await consumer();
    const path = `/limited/count/${key}${sixtySeconds}`;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get(path, { headers: alice.headers }));
    expect(answers.map((answer) => [answer.status, answer.cacheStatus])).toEqual([
      [200, STORED],
      [200, HIT],
      [200, HIT],
      [429, null],
    ]);
    expect(answers[1].headers.get("ratelimit")).toMatch(/;r=1;/);
    const anonymous = await get(path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.cacheStatus).toBeNull();
    expect(await upstreamHits(key)).toBe(1);
  });
});

describe("cache: what is stored", () => {
  it("never stores a no-store or no-cache answer", async () => {
    for (const cc of ["no-store", "no-store, max-age=60", "no-cache, max-age=60"]) {
      const key = fresh();
      const reason = cc.split(",")[0];
      expect((await get(`/public/count/${key}${query({ cc })}`)).cacheStatus).toBe(notStored(reason));
      expect((await get(`/public/count/${key}${query({ cc })}`)).cacheStatus).toBe(notStored(reason));
      expect(await upstreamHits(key)).toBe(2);
    }
  });

  it("never stores an answer that sets a cookie, and passes the cookie on", async () => {
    const key = fresh();
    const path = `/public/count/${key}${query({ cc: "public, max-age=60", cookie: "1" })}`;
    const first = await get(path);
    expect(first.cacheStatus).toBe(notStored("set-cookie"));
    expect(first.headers.get("set-cookie")).toBe("session=abc; Path=/; HttpOnly");
    expect((await get(path)).cacheStatus).toBe(notStored("set-cookie"));
    expect(await upstreamHits(key)).toBe(2);
  });

  it("stores the listed statuses only: 404 and 204 are, 500 is not", async () => {
    for (const [status, outcome] of [
      ["404", HIT],
      ["204", HIT],
      ["500", notStored("status")],
    ]) {
      const key = fresh();
      const path = `/public/count/${key}${query({ cc: "max-age=60", status })}`;
      await get(path);
      const again = await get(path);
      expect([again.status, again.cacheStatus], status).toEqual([Number(status), outcome]);
    }
  });

  it("does not store an answer without a lifetime, unless ttl gives it one", async () => {
    const key = fresh();
    expect((await get(`/public/count/${key}`)).cacheStatus).toBe(notStored("no-lifetime"));
    expect((await get(`/public/count/${key}${query({ cc: "public" })}`)).cacheStatus).toBe(notStored("no-lifetime"));
    const ttl = fresh();
    expect((await get(`/ttl/count/${ttl}`)).cacheStatus).toBe(STORED);
    expect((await get(`/ttl/count/${ttl}`)).cacheStatus).toBe(HIT);
    const zero = fresh();
    expect((await get(`/ttl/count/${zero}${query({ cc: "max-age=0" })}`)).cacheStatus).toBe(STORED);
    const hit = await get(`/ttl/count/${zero}${query({ cc: "max-age=0" })}`);
    expect(hit.cacheStatus).toBe(HIT);
    expect(hit.headers.get("cache-control")).toBe("max-age=0");
  });

  it("lets an entry with ttl: 1 expire, whatever lifetime the upstream gave", async () => {
    const key = fresh();
    const path = `/short/count/${key}${query({ cc: "max-age=600" })}`;
    expect((await get(path)).cacheStatus).toBe(STORED);
    // The entry lives 1 s; it must be gone well within the bound, however loaded the machine.
    const deadline = Date.now() + 20_000;
    let latest = await get(path);
    while (latest.cacheStatus === HIT && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      latest = await get(path);
    }
    expect(latest.cacheStatus).toBe(STORED);
    expect(latest.body?.hit).toBe(2);
  }, 40_000);
});

describe("cache: lifetime and storability, as rules", () => {
  const rules = (extra: Partial<StoreRules> = {}): StoreRules => ({ by: "shared", statuses: [200, 203, 204, 301, 404], vary: [], ...extra });
  const with_ = (headers: Record<string, string>, status = 200, extra: Partial<StoreRules> = {}) => decide(status, new Headers(headers), rules(extra));

  it("takes s-maxage before max-age, and ttl before both", () => {
    expect(with_({ "cache-control": "max-age=10, s-maxage=30" })).toEqual({ store: true, lifetime: 30, stale: 0 });
    expect(with_({ "cache-control": "max-age=10" })).toEqual({ store: true, lifetime: 10, stale: 0 });
    expect(with_({ "cache-control": "max-age=10, s-maxage=30" }, 200, { ttl: 5 })).toEqual({ store: true, lifetime: 5, stale: 0 });
    expect(with_({}, 200, { ttl: 5 })).toEqual({ store: true, lifetime: 5, stale: 0 });
  });

  it("counts a lifetime that is not a number as none", () => {
    expect(with_({ "cache-control": "max-age=soon" })).toEqual({ store: false, reason: "no-lifetime" });
    expect(with_({ "cache-control": "max-age=0" })).toEqual({ store: false, reason: "no-lifetime" });
    expect(with_({ expires: "Thu, 01 Jan 2099 00:00:00 GMT" })).toEqual({ store: false, reason: "no-lifetime" });
  });

  it("refuses no-store, no-cache, Set-Cookie and unlisted statuses even with ttl", () => {
    expect(with_({ "cache-control": "NO-STORE" }, 200, { ttl: 5 })).toEqual({ store: false, reason: "no-store" });
    expect(with_({ "cache-control": 'no-cache="Set-Cookie", max-age=60' }, 200, { ttl: 5 })).toEqual({ store: false, reason: "no-cache" });
    expect(with_({ "set-cookie": "a=1", "cache-control": "public, max-age=60" }, 200, { ttl: 5 })).toEqual({ store: false, reason: "set-cookie" });
    expect(with_({ "cache-control": "max-age=60" }, 500, { ttl: 5 })).toEqual({ store: false, reason: "status" });
  });

  it("stores private answers per consumer only", () => {
    expect(with_({ "cache-control": "private, max-age=60" })).toEqual({ store: false, reason: "private" });
    expect(with_({ "cache-control": "private, max-age=60" }, 200, { by: "consumer" })).toEqual({ store: true, lifetime: 60, stale: 0 });
  });

  it("serves stale for the option's window, else the upstream's stale-while-revalidate, which must-revalidate takes away", () => {
    expect(with_({ "cache-control": "max-age=60, stale-while-revalidate=30" })).toEqual({ store: true, lifetime: 60, stale: 30 });
    expect(with_({ "cache-control": "max-age=60, stale-while-revalidate=30" }, 200, { staleWhileRevalidate: 5 })).toEqual({
      store: true,
      lifetime: 60,
      stale: 5,
    });
    expect(with_({ "cache-control": "max-age=60" }, 200, { staleWhileRevalidate: 5, ttl: 10 })).toEqual({ store: true, lifetime: 10, stale: 5 });
    expect(with_({ "cache-control": "max-age=60, stale-while-revalidate=soon" })).toEqual({ store: true, lifetime: 60, stale: 0 });
    for (const revalidate of ["must-revalidate", "proxy-revalidate"]) {
      expect(with_({ "cache-control": `max-age=60, ${revalidate}, stale-while-revalidate=30` })).toEqual({ store: true, lifetime: 60, stale: 0 });
    }
    expect(with_({ "cache-control": "no-store, stale-while-revalidate=30" }, 200, { staleWhileRevalidate: 5 })).toEqual({ store: false, reason: "no-store" });
  });

  it("reads quoted directive values with commas in them as one", () => {
    expect([...parseCacheControl('private="Set-Cookie, X-Token", max-age=60')]).toEqual([
      ["private", "Set-Cookie, X-Token"],
      ["max-age", "60"],
    ]);
  });
});

describe("cache: keys and instances", () => {
  const ctx = () =>
    createContext({
      route: { operationId: "getThing", method: "GET", path: "/things/{id}" },
      params: { id: "a b" },
      env: env as unknown as Record<string, unknown>,
      requestId: "r",
      waitUntil: () => {},
    });
  const prepared = (extra: Partial<CachePrepared> = {}): CachePrepared => ({
    instance: "/x-portico/policies/one",
    route: "getThing",
    by: "consumer",
    anonymous: false,
    query: { names: ["page"], prefixes: ["filter["], all: false },
    headers: [],
    cookies: [],
    ...extra,
  });
  const keyOf = async (url: string, extra: Partial<CachePrepared> = {}, consumerId?: string, init?: RequestInit) => {
    const context = ctx();
    if (consumerId) context.consumer = { id: consumerId, scopes: [], metadata: {} };
    return (await cacheKey(new Request(url, init), context, prepared(extra), ["accept-language"]))?.url;
  };

  it("puts every key under a host that cannot exist, hashed, with no consumer id or header value in it", async () => {
    const key = await keyOf("https://api.example.com/things/a%20b?page=2", {}, "alice@example.com", { headers: { "accept-language": "tlh-Klingon" } });
    expect(key).toMatch(new RegExp(`^${KEY_ORIGIN.replaceAll(".", "\\.")}/getThing/[0-9a-f]{64}$`));
    expect(key).not.toContain("alice");
    expect(key).not.toContain("Klingon");
  });

  it("gives two instances on the same route different entries", async () => {
    const url = "https://api.example.com/things/a%20b";
    expect(await keyOf(url, {}, "alice")).not.toBe(await keyOf(url, { instance: "/x-portico/policies/two" }, "alice"));
  });

  it("keys deepObject members and exploded free-form objects as declared parameters", async () => {
    const base = "https://api.example.com/things/x";
    expect(await keyOf(`${base}?filter[color]=red`, {}, "a")).not.toBe(await keyOf(`${base}?filter[color]=blue`, {}, "a"));
    expect(await keyOf(`${base}?color=red`, {}, "a")).toBe(await keyOf(`${base}?color=blue`, {}, "a"));
    const free = { query: { names: [], prefixes: [], all: true } };
    expect(await keyOf(`${base}?color=red`, free, "a")).not.toBe(await keyOf(`${base}?color=blue`, free, "a"));
  });

  it("keys declared cookie parameters by value", () => {
    expect(cookieValues("theme=dark; session=1; theme=light", ["theme", "lang"])).toEqual(["dark", null]);
  });

  it("has no key for a caller without a consumer where the operation takes none", async () => {
    expect(await keyOf("https://api.example.com/things/x")).toBeUndefined();
    expect(await keyOf("https://api.example.com/things/x", { anonymous: true })).toMatch(/^https:\/\/cache\.portico\.invalid\//);
  });

  it("lets a request that is neither GET nor HEAD pass untouched", async () => {
    const options: CacheOptions = { vary: [], statuses: [200], tags: [], binding: "CACHE_PURGE" };
    const hooks = hooksOf(cache, options, prepared({ by: "shared" }));
    const context = ctx();
    const request = new Request("https://api.example.com/things/x", { method: "POST", body: "{}" });
    expect(await hooks.inbound!(request, context)).toBe(request);
    const response = new Response("ok", { headers: { "cache-control": "max-age=60" } });
    expect(await hooks.outbound!(response, request, context)).toBe(response);
    expect(finishResponse(response, context).headers.has("cache-status")).toBe(false);
  });
});
