/**
 * B. Rate limits (R1–R4, R6) against the Durable Object counters of a real
 * `npm run dev`: nothing lost, nobody extra. Windows are an hour long unless a
 * case is about the window, so no token comes back while a case runs; counts
 * are exact, and a 429 never reaches the upstream.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { expectProblem, pool, send, suite, tag, upstreamSaw, type Answer } from "./support/gateway.ts";
import { count } from "./support/profile.ts";

const statusCounts = (answers: Answer[]) =>
  answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
const from = (address: string, headers: Record<string, string> = {}) => ({ "cf-connecting-ip": address, ...headers });
/** A fresh address of the documentation range for each case, so no two cases share a bucket. */
const freshAddress = () => `198.18.${Math.floor(Math.random() * 255)}.${1 + Math.floor(Math.random() * 253)}`;

/** The `r` (remaining) and `t` (seconds) of a RateLimit header. */
function rateLimit(answer: Answer): { r: number; t: number } {
  const value = answer.headers.get("ratelimit") ?? "";
  return { r: Number(/;r=(\d+)/.exec(value)?.[1]), t: Number(/;t=(\d+)/.exec(value)?.[1]) };
}

describe("B. Rate limits", () => {
  it(`R1: ${count(200, 500)} concurrent requests on one key against 100 an hour, ${count(1, 20)}× → exactly 100 admitted every run, 100 upstream hits`, async () => {
    for (let run = 0; run < count(1, 20); run++) {
      const bucket = randomUUID();
      const caseTag = tag("R1");
      const answers = await Promise.all(
        Array.from({ length: count(200, 500) }, () => send("/limited/burst", { headers: { "x-bucket": bucket }, tag: caseTag })),
      );
      expect(statusCounts(answers)).toEqual({ 200: 100, 429: count(200, 500) - 100 });
      expect(await upstreamSaw(caseTag)).toHaveLength(100);
      for (const refused of answers.filter((answer) => answer.status === 429)) {
        expectProblem(refused, 429);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(refused.headers.get("ratelimit-policy")).toBe('"burst";q=100;w=3600');
        expect(rateLimit(refused).r).toBe(0);
      }
    }
  });

  it(`R2: ${count(10, 50)} keys × 10 interleaved requests on two instances with the same options, 5 each → exactly 5 per key per instance`, async () => {
    const keys = Array.from({ length: count(10, 50) }, () => randomUUID());
    const requests = keys.flatMap((key) => ["/limited/five", "/limited/five-other"].flatMap((path) => Array.from({ length: 10 }, () => ({ key, path }))));
    requests.sort(() => Math.random() - 0.5);
    const statuses = await pool(requests.length, 24, async (i) => (await send(requests[i].path, { headers: { "x-bucket": requests[i].key } })).status);
    const admitted = new Map<string, number>();
    requests.forEach(({ key, path }, i) => statuses[i] === 200 && admitted.set(`${path} ${key}`, (admitted.get(`${path} ${key}`) ?? 0) + 1));
    expect(new Set(statuses)).toEqual(new Set([200, 429]));
    expect([...admitted.values()]).toEqual(Array.from({ length: keys.length * 2 }, () => 5));
  });

  it("R3: past the limit Retry-After says when to come back; then the first request is admitted, and remaining falls within a window", async () => {
    const headers = { "x-bucket": randomUUID() };
    // Two a window of 4 s, one back every 2 s: three at once find two tokens.
    const answers = await Promise.all([0, 1, 2].map(() => send("/limited/short", { headers })));
    expect(statusCounts(answers)).toEqual({ 200: 2, 429: 1 });
    expect(new Set(answers.filter((answer) => answer.status === 200).map((answer) => rateLimit(answer).r))).toEqual(new Set([1, 0]));
    const refused = answers.find((answer) => answer.status === 429)!;
    expectProblem(refused, 429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(rateLimit(refused).r).toBe(0);
    await sleep(retryAfter * 1000 + 100);
    expect((await send("/limited/short", { headers })).status).toBe(200);
  });

  it("R4: spoofed X-Forwarded-For, X-Real-IP, True-Client-IP and Forwarded do not change the address's bucket", async () => {
    const address = freshAddress();
    const spoofs = ["x-forwarded-for", "x-real-ip", "true-client-ip", "forwarded"];
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const spoof = spoofs[i % spoofs.length];
      statuses.push((await send("/limited/by-ip", { headers: from(address, { [spoof]: spoof === "forwarded" ? `for=10.0.0.${i}` : `10.0.0.${i}` }) })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("R4: IPv6 addresses of one /64, in any spelling, share a bucket; another /64 has its own", async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    const statuses = [];
    for (const address of [`${prefix}::1`, `${prefix}:ffff:ffff:ffff:ffff`, `${prefix.toUpperCase()}:0:0:0:2`, `${prefix}::abcd`]) {
      statuses.push((await send("/limited/by-ip", { headers: from(address) })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await send("/limited/by-ip", { headers: from(`${prefix.slice(0, -1)}8::1`) })).status).toBe(200);
  });

  it("R4: an IPv4-mapped IPv6 address is its IPv4 address, in either spelling", async () => {
    const [, , c, d] = freshAddress().split(".").map(Number);
    const hex = `::ffff:c612:${((c << 8) | d).toString(16)}`;
    const statuses = [];
    for (const address of [`198.18.${c}.${d}`, `::ffff:198.18.${c}.${d}`, hex, `::FFFF:198.18.${c}.${d}`]) {
      statuses.push((await send("/limited/by-ip", { headers: from(address) })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("R4: HEAD and path spellings of the operation count in its bucket, or are not routed at all: never more than the limit upstream", async () => {
    const address = freshAddress();
    const caseTag = tag("R4");
    const spellings = [
      "/limited/by-ip/",
      "/limited/by%2Dip",
      "/LIMITED/by-ip",
      "/limited//by-ip",
      "/limited/./by-ip",
      "/limited/by-ip;x=1",
      "/limited/by-ip?a=1",
    ];
    const answers = [await send("/limited/by-ip", { method: "HEAD", headers: from(address), tag: caseTag })];
    for (const path of spellings) answers.push(await send(path, { headers: from(address), tag: caseTag }));
    answers.push(await send("/limited/by-ip", { headers: from(address), tag: caseTag }));
    const admitted = answers.filter((answer) => answer.status === 200).length;
    for (const answer of answers) expect([200, 404, 429]).toContain(answer.status);
    expect(admitted).toBe(3);
    expect(answers.at(-1)!.status).toBe(429);
    expect(await upstreamSaw(caseTag)).toHaveLength(admitted);
  });

  it("R4: a limit by consumer follows the consumer across addresses", async () => {
    const headers = (i: number) => from(`192.0.2.${10 + i}`, { "x-api-key": suite.consumers.bob });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send("/limited/by-consumer", { headers: headers(i) })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Another consumer, from an address bob used, has a bucket of its own.
    expect((await send("/limited/by-consumer", { headers: from("192.0.2.10", { "x-api-key": suite.consumers.carol }) })).status).toBe(200);
  });

  it("R6: failed logins count per address before authentication: 20 bad keys against 10 → 10 × 401, then 429; a good key from there waits too", async () => {
    const address = freshAddress();
    const caseTag = tag("R6");
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await send("/login/account", { headers: from(address, { "x-api-key": `guess-${i}` }), tag: caseTag })).status);
    expect(statuses).toEqual([...Array.from({ length: 10 }, () => 401), ...Array.from({ length: 10 }, () => 429)]);
    expect((await send("/login/account", { headers: from(address, { "x-api-key": suite.consumers.alice }), tag: caseTag })).status).toBe(429);
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
    expect((await send("/login/account", { headers: from(freshAddress(), { "x-api-key": suite.consumers.alice }) })).status).toBe(200);
  });
});
