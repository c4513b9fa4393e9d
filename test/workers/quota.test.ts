import { env } from "cloudflare:workers";
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { periodAt } from "../../src/policies/quota/periods.ts";
import limits from "../.generated/limits/app.ts";
import quota from "../.generated/quota/app.ts";
import { call, problemOf } from "../support/call.ts";
import { freezeClockPerTest } from "../support/clock.ts";
import { storeConsumer } from "../support/consumers.ts";
import { hits } from "../support/tokens.ts";
import type { QuotaEntry } from "../../src/policies/quota/admin.ts";

// The clock stands still through each test: no period ends between a response and the
// check of its Retry-After, however slow the machine, so seconds are compared exactly.
// Mid-month, mid-day: no test's day, week or month ends while it runs, whenever the suite runs.
freezeClockPerTest(Date.UTC(2026, 10, 18, 10, 30));

const DAY_MS = 86_400_000;
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;

/** A fresh consumer with its own counts; returns its id and the headers that authenticate it. */
async function consumer(record: { tier?: string; metadata?: Record<string, unknown> } = {}) {
  const id = unique("visitor");
  const key = await storeConsumer({ id, ...record });
  return { id, headers: { "x-api-key": key } };
}

async function sequence(path: string, n: number, headers: Record<string, string>) {
  const responses: Response[] = [];
  for (let i = 0; i < n; i++) responses.push(await call(quota, path, { headers }));
  return { responses, statuses: responses.map((r) => r.status) };
}

const secondsUntil = (at: number) => Math.ceil((at - Date.now()) / 1000);
const nextMidnight = () => Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS;

function expectSeconds(value: string | null, expected: number) {
  expect(Number(value), `${value} against ${expected}`).toBe(expected);
}

describe("Q1: exactly the limit per consumer per period", () => {
  it("admits 3 a day, then 429 with Retry-After to midnight UTC and a problem; refused requests never reach the upstream", async () => {
    const { headers } = await consumer();
    const probe = crypto.randomUUID();
    const { responses, statuses } = await sequence("/daily", 5, { ...headers, "x-probe": probe });
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(await hits(probe)).toBe(3);
    const refused = responses[3];
    expectSeconds(refused.headers.get("retry-after"), secondsUntil(nextMidnight()));
    const body = await problemOf(refused);
    // A project without a portal and without x-portico.problems: the type says no more than the status (RFC 9457 §4.2.1).
    expect(body).toMatchObject({ status: 429, type: "about:blank", title: "Too Many Requests", instance: "/daily" });
    expect(body.detail).toContain("daily quota of 3 requests is used up");
    expect(body.detail).toContain(new Date(nextMidnight()).toISOString());
  });

  it("30 concurrent requests of one consumer admit exactly 3", async () => {
    const { headers } = await consumer();
    const statuses = await Promise.all(Array.from({ length: 30 }, () => call(quota, "/daily", { headers }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(27);
  });

  it("each consumer has its own count; a named quota is one count across the operations that list it", async () => {
    const first = await consumer();
    const second = await consumer();
    expect((await sequence("/daily", 2, first.headers)).statuses).toEqual([200, 200]);
    expect((await sequence("/daily-too", 2, first.headers)).statuses).toEqual([200, 429]);
    expect((await sequence("/daily-too", 3, second.headers)).statuses).toEqual([200, 200, 200]);
  });

  it("tiers get their own limits; the week ends on Monday 00:00 UTC", async () => {
    const gold = await consumer({ tier: "gold" });
    const plain = await consumer({ tier: "bronze" });
    expect((await sequence("/tiers", 5, gold.headers)).statuses).toEqual([200, 200, 200, 200, 429]);
    const { responses, statuses } = await sequence("/tiers", 3, plain.headers);
    expect(statuses).toEqual([200, 200, 429]);
    const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    const nextMonday = today.getTime() + ((8 - today.getUTCDay()) % 7 || 7) * DAY_MS;
    expectSeconds(responses[2].headers.get("retry-after"), secondsUntil(nextMonday));
    expect(responses[2].headers.get("ratelimit-policy")).toBe('"weekly";q=2;w=604800');
  });

  it("an anchored quota turns at the consumer's own date and time; without the date, on the 1st", async () => {
    // An anchor one hour from now (in another year): the current period ends in one hour.
    const soon = new Date(Date.now() + 3_600_000);
    const signedUp = new Date(Date.UTC(2020, 0, soon.getUTCDate(), soon.getUTCHours(), soon.getUTCMinutes(), soon.getUTCSeconds())).toISOString();
    const anchored = await consumer({ metadata: { signedUp } });
    const { responses, statuses } = await sequence("/anchored", 3, anchored.headers);
    expect(statuses).toEqual([200, 200, 429]);
    expectSeconds(responses[2].headers.get("retry-after"), secondsUntil(Date.parse(signedUp.replace(/^2020-01/, soon.toISOString().slice(0, 7)))));

    const undated = await consumer({ metadata: { signedUp: "not a date" } });
    const refused = (await sequence("/anchored", 3, undated.headers)).responses[2];
    const now = new Date();
    expectSeconds(refused.headers.get("retry-after"), secondsUntil(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
  });

  it("callers without a consumer pass uncounted and carry no quota headers", async () => {
    const { statuses, responses } = await sequence("/optional-key", 3, {});
    expect(statuses).toEqual([200, 200, 200]);
    expect(responses[0].headers.get("ratelimit-policy")).toBeNull();
    const { headers } = await consumer();
    expect((await sequence("/optional-key", 2, headers)).statuses).toEqual([200, 429]);
  });
});

describe("Q2: RateLimit headers on every counted response", () => {
  it("200s and the 429 carry the policy and what remains, counting down to 0", async () => {
    const { headers } = await consumer();
    const { responses } = await sequence("/daily", 4, headers);
    for (const response of responses) expect(response.headers.get("ratelimit-policy")).toBe('"daily";q=3;w=86400');
    const items = responses.map((r) => /^"daily";r=(\d+);t=(\d+)$/.exec(r.headers.get("ratelimit") ?? ""));
    expect(items.map((item) => Number(item?.[1]))).toEqual([2, 1, 0, 0]);
    for (const item of items) expectSeconds(item![2], secondsUntil(nextMidnight()));
  });

  it("a rate limit and a quota on one route list both items", async () => {
    const { headers } = await consumer();
    const response = await call(quota, "/both", { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-policy")).toBe('"per-minute";q=100;w=60, "daily";q=3;w=86400');
    expect(response.headers.get("ratelimit")).toMatch(/^"per-minute";r=99;t=\d+, "daily";r=2;t=\d+$/);
  });
});

describe("Q3: the count is durable and starts over at the period boundary", () => {
  it("survives a restart of its object", async () => {
    const { id, headers } = await consumer();
    expect((await sequence("/daily", 2, headers)).statuses).toEqual([200, 200]);
    const counter = env.QUOTA.get(env.QUOTA.idFromName(`/x-portico/policies/daily\u0000${id}`));
    // Reset the object as the platform would on eviction: its memory goes, its storage stays.
    await runInDurableObject(counter, (_instance, state) => state.abort("restart")).catch(() => {});
    expect((await sequence("/daily", 2, headers)).statuses).toEqual([200, 429]);
  });

  it("a later period start starts the count over; a caller whose clock is behind counts in the newer period", async () => {
    const counter = env.QUOTA.get(env.QUOTA.idFromName(unique("boundary")));
    const a = Date.UTC(2026, 10, 26);
    const b = a + DAY_MS;
    const inA = [];
    for (let i = 0; i < 4; i++) inA.push(await counter.consume(3, a, b));
    expect(inA.map((u) => [u.allowed, u.used, u.remaining])).toEqual([
      [true, 1, 2],
      [true, 2, 1],
      [true, 3, 0],
      [false, 3, 0],
    ]);
    expect(inA[3].resetAt).toBe(b);
    expect(await counter.consume(3, b, b + DAY_MS)).toMatchObject({ allowed: true, limit: 3, used: 1, remaining: 2, resetAt: b + DAY_MS });
    expect(await counter.consume(3, a, b)).toMatchObject({ allowed: true, used: 2, resetAt: b + DAY_MS });
    expect(await counter.read(b, b + DAY_MS)).toMatchObject({ used: 2, remaining: 1, periodStart: b });
    expect(await counter.read(b, b + DAY_MS)).toMatchObject({ used: 2 });
    expect(await counter.read(b + DAY_MS, b + 2 * DAY_MS)).toMatchObject({ used: 0, remaining: 3, resetAt: b + 2 * DAY_MS });
  });
});

describe("Q4: when the counter cannot answer", () => {
  it("failMode closed answers 503; open lets the request through", async () => {
    const { headers } = await consumer();
    const closed = await call(quota, "/fail-closed", { headers });
    expect(closed.status).toBe(503);
    expect((await problemOf(closed)).detail).toContain("quota counter");
    expect((await call(quota, "/fail-open", { headers })).status).toBe(200);
  });
});

/** A request to the gateway with the Worker's env changed. */
async function callWithEnv(gateway: typeof quota, path: string, headers: Record<string, string>, changes: Record<string, unknown> = {}) {
  const ctx = createExecutionContext();
  const response = await gateway.fetch(new Request(`https://api.example.com${path}`, { headers }), { ...env, ...changes }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

interface Usage {
  consumer: string;
  quotas: QuotaEntry[];
}

describe("Q5: GET /_portico/quota/<consumer> for `portico quota show`", () => {
  const admin = { authorization: `Bearer ${env.PORTICO_ADMIN_TOKEN}` };

  it("does not exist without PORTICO_ADMIN_TOKEN, to a wrong token, or without one: the same 404 as an unknown path", async () => {
    const unknown = await problemOf(await call(quota, "/_portico/nothing", { headers: admin }));
    const answers = [
      await callWithEnv(quota, "/_portico/quota/someone", admin, { PORTICO_ADMIN_TOKEN: undefined }),
      await callWithEnv(quota, "/_portico/quota/someone", admin, { PORTICO_ADMIN_TOKEN: "" }),
      await callWithEnv(quota, "/_portico/quota/someone", { authorization: `Bearer ${env.PORTICO_ADMIN_TOKEN}x` }),
      await callWithEnv(quota, "/_portico/quota/someone", { authorization: env.PORTICO_ADMIN_TOKEN }),
      await callWithEnv(quota, "/_portico/quota/someone", {}),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      const body = await problemOf(answer);
      expect({ ...body, requestId: "", traceId: "", detail: body.detail.replace("quota/someone", "nothing"), instance: "" }).toEqual({
        ...unknown,
        requestId: "",
        traceId: "",
        instance: "",
      });
    }
  });

  it("is not there on a gateway without quotas", async () => {
    expect((await callWithEnv(limits, "/_portico/quota/someone", admin)).status).toBe(404);
  });

  it("lists every quota of the route table with the consumer's usage", async () => {
    const soon = new Date(Date.now() + 3_600_000);
    const signedUp = new Date(Date.UTC(2020, 0, soon.getUTCDate(), soon.getUTCHours())).toISOString();
    const { id, headers } = await consumer({ tier: "gold", metadata: { signedUp } });
    await sequence("/daily", 4, headers);
    await sequence("/tiers", 1, headers);
    await sequence("/anchored", 1, headers);
    const response = await callWithEnv(quota, `/_portico/quota/${encodeURIComponent(id)}`, admin);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const usage = (await response.json()) as Usage;
    expect(usage.consumer).toBe(id);
    const byPolicy = Object.fromEntries(usage.quotas.map((q) => [q.policy, q]));
    expect(Object.keys(byPolicy).sort()).toEqual(["daily", "lost-closed", "lost-open", "monthly", "optional", "weekly"]);
    expect(usage.quotas).toHaveLength(6);
    const midnight = nextMidnight();
    expect(byPolicy.daily).toEqual({
      policy: "daily",
      period: "day",
      limit: 3,
      used: 3,
      remaining: 0,
      periodStart: new Date(midnight - DAY_MS).toISOString(),
      resetAt: new Date(midnight).toISOString(),
    });
    expect(byPolicy.weekly).toMatchObject({ period: "week", limit: 4, used: 1, remaining: 3 });
    expect(byPolicy.monthly).toMatchObject({ period: "month", limit: 2, used: 1, remaining: 1 });
    expect(Date.parse(byPolicy.monthly.resetAt!)).toBeGreaterThan(Date.now());
    expect(Date.parse(byPolicy.monthly.resetAt!)).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(byPolicy.optional).toMatchObject({ limit: 1, used: 0, remaining: 1, resetAt: new Date(midnight).toISOString() });
    expect(byPolicy["lost-closed"]).toMatchObject({ limit: null, used: null, error: expect.stringContaining("NO_SUCH_NAMESPACE") });
  });

  it("rolls an anchored quota whose recorded period is over on to the consumer's current period, at 0 used", async () => {
    const id = unique("returning");
    const counter = env.QUOTA.get(env.QUOTA.idFromName(`/paths/~1anchored/get/x-portico/inbound/0\u0000${id}`));
    // Counted by a consumer anchored on the 31st, in the leap February it last came in.
    await counter.consume(2, Date.UTC(2020, 0, 31), Date.UTC(2020, 1, 29));
    await counter.consume(2, Date.UTC(2020, 1, 29), Date.UTC(2020, 2, 31));
    const usage = (await (await callWithEnv(quota, `/_portico/quota/${id}`, admin)).json()) as Usage;
    const monthly = usage.quotas.find((q) => q.policy === "monthly")!;
    const current = periodAt(Date.now(), "month", Date.UTC(2020, 0, 31));
    expect(monthly).toEqual({
      policy: "monthly",
      period: "month",
      limit: 2,
      used: 0,
      remaining: 2,
      periodStart: new Date(current.start).toISOString(),
      resetAt: new Date(current.end).toISOString(),
    });
  });

  it("says what it cannot know of a consumer it has never counted: a tier's limit, an anchored period", async () => {
    const response = await callWithEnv(quota, `/_portico/quota/${unique("stranger")}`, admin);
    const byPolicy = Object.fromEntries(((await response.json()) as Usage).quotas.map((q) => [q.policy, q]));
    expect(byPolicy.daily).toMatchObject({ limit: 3, used: 0, remaining: 3 });
    expect(byPolicy.weekly).toMatchObject({ limit: null, used: 0, remaining: null });
    expect(byPolicy.monthly).toMatchObject({ limit: 2, used: 0, periodStart: null, resetAt: null });
  });
});
