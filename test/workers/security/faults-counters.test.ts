/**
 * F6: rate-limit and quota counters that fail. The real Durable Objects sit
 * behind a namespace that makes their calls throw the platform's errors first;
 * each failure is answered as the policy's failMode says, a retryable error is
 * retried once and counted once, and an overloaded one is never retried.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import gateway from "../../.generated/faults/app.ts";
import { call, problemOf } from "../../support/call.ts";
import { freezeClockPerTest } from "../../support/clock.ts";
import { storeConsumer } from "../../support/consumers.ts";
import { faultyNamespace, logsOf, type DurableFault } from "../../support/faults.ts";
import { hits } from "../../support/tokens.ts";

// Async mode remembers a failed key for a second: with Date frozen, "within that second" holds however slow the machine.
freezeClockPerTest();

/** Calls each fault makes before giving up: a retryable error is retried once, the others never. */
const FAILURES: Record<Exclude<DurableFault, "lost-answer">, number> = { retryable: 2, overloaded: 1, remote: 1, internal: 1 };

/** A fresh key of the `by: header` limits, and the probe its upstream hits are counted under. */
function caller() {
  const probe = crypto.randomUUID();
  return { probe, headers: { "x-bucket": crypto.randomUUID(), "x-probe": probe } };
}

const limiter = (fault: DurableFault, times = Infinity) => faultyNamespace(env.RATE_LIMITER, fault, times);
const remaining = (response: Response) => Number(/;r=(\d+)/.exec(response.headers.get("ratelimit") ?? "")?.[1]);

async function expectUnavailable(response: Response, counter: string) {
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("1");
  const text = await response.clone().text();
  expect(text).not.toMatch(/Network connection|overloaded|storage operation|internal error|\n\s+at /);
  expect((await problemOf(response)).detail).toContain(counter);
}

/** Sends requests one after the other until one is refused; returns the statuses. */
async function untilRefused(path: string, headers: Record<string, string>, max = 10) {
  const statuses: number[] = [];
  while (statuses.length < max && statuses.at(-1) !== 429) statuses.push((await call(gateway, path, { headers })).status);
  return statuses;
}

describe("rate-limit, strict mode", () => {
  for (const [fault, attempts] of Object.entries(FAILURES) as Array<[DurableFault, number]>) {
    it(`F6: a ${fault} error: failMode closed answers 503 and never calls the upstream; open lets the request through and logs`, async () => {
      const closed = limiter(fault);
      const refused = caller();
      const logs = await logsOf(async () => {
        await expectUnavailable(
          await call(gateway, "/limit/strict-closed", { headers: refused.headers }, { ...env, RATE_LIMITER: closed.namespace }),
          "rate limiter",
        );
      });
      expect(closed.calls()).toBe(attempts);
      expect(await hits(refused.probe)).toBe(0);
      expect(logs.filter((line) => line.message === "rate limiter unavailable").map((line) => line.level)).toEqual(["error"]);

      const open = limiter(fault);
      const admitted = caller();
      const openLogs = await logsOf(async () => {
        expect((await call(gateway, "/limit/strict-open", { headers: admitted.headers }, { ...env, RATE_LIMITER: open.namespace })).status).toBe(200);
      });
      expect(open.calls()).toBe(attempts);
      expect(await hits(admitted.probe)).toBe(1);
      expect(openLogs.some((line) => line.message === "rate limiter unavailable")).toBe(true);
    });
  }

  it("F6: a retryable error that did not reach the object is retried once, and the request is counted once", async () => {
    const { headers, probe } = caller();
    const flaky = limiter("retryable", 1);
    const first = await call(gateway, "/limit/strict-closed", { headers }, { ...env, RATE_LIMITER: flaky.namespace });
    expect([first.status, flaky.calls(), remaining(first)]).toEqual([200, 2, 4]);
    expect(await untilRefused("/limit/strict-closed", headers)).toEqual([200, 200, 200, 200, 429]);
    expect(await hits(probe)).toBe(5);
  });

  it("F6: a retryable error after the object counted the request (its answer lost) does not count it twice", async () => {
    const { headers, probe } = caller();
    const lost = limiter("lost-answer", 1);
    const first = await call(gateway, "/limit/strict-closed", { headers }, { ...env, RATE_LIMITER: lost.namespace });
    expect([first.status, lost.calls()]).toEqual([200, 2]);
    expect(await untilRefused("/limit/strict-closed", headers)).toEqual([200, 200, 200, 200, 429]);
    expect(await hits(probe)).toBe(5);
  });

  it("F6: an overloaded error, though marked retryable, is not retried and counts nothing", async () => {
    const { headers } = caller();
    const busy = limiter("overloaded", 1);
    await expectUnavailable(await call(gateway, "/limit/strict-closed", { headers }, { ...env, RATE_LIMITER: busy.namespace }), "rate limiter");
    expect(busy.calls()).toBe(1);
    expect(await untilRefused("/limit/strict-closed", headers)).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe("rate-limit, async mode", () => {
  for (const [fault, attempts] of Object.entries(FAILURES) as Array<[DurableFault, number]>) {
    it(`F6: a ${fault} error: failMode closed refuses the key's following requests with 503 for a second; open admits them`, async () => {
      const closed = limiter(fault);
      const bindings = { ...env, RATE_LIMITER: closed.namespace };
      const key = caller();
      // The first request goes on before the counter is asked: async trades that for latency.
      expect((await call(gateway, "/limit/async-closed", { headers: key.headers }, bindings)).status).toBe(200);
      expect(closed.calls()).toBe(attempts);
      await expectUnavailable(await call(gateway, "/limit/async-closed", { headers: key.headers }, bindings), "rate limiter");
      expect(closed.calls()).toBe(attempts);
      expect(await hits(key.probe)).toBe(1);

      const open = limiter(fault);
      const other = caller();
      const logs = await logsOf(async () => {
        for (let i = 0; i < 3; i++) {
          expect((await call(gateway, "/limit/async-open", { headers: other.headers }, { ...env, RATE_LIMITER: open.namespace })).status).toBe(200);
        }
      });
      expect(await hits(other.probe)).toBe(3);
      expect(logs.filter((line) => line.message === "rate limiter unavailable").length).toBe(3);
    });
  }

  for (const fault of ["retryable", "lost-answer"] as const) {
    it(`F6: a ${fault} error on a report is retried once and the requests it carries are counted once`, async () => {
      const { headers, probe } = caller();
      const flaky = limiter(fault, 1);
      expect((await call(gateway, "/limit/async-closed", { headers }, { ...env, RATE_LIMITER: flaky.namespace })).status).toBe(200);
      expect(flaky.calls()).toBe(2);
      expect(await untilRefused("/limit/async-closed", headers)).toEqual([200, 200, 200, 200, 429]);
      expect(await hits(probe)).toBe(5);
    });
  }
});

describe("quota", () => {
  const consumer = async () => ({ "x-api-key": await storeConsumer({ id: `faults-${crypto.randomUUID()}` }), "x-probe": crypto.randomUUID() });
  const counter = (fault: DurableFault, times = Infinity) => faultyNamespace(env.QUOTA, fault, times);

  for (const [fault, attempts] of Object.entries(FAILURES) as Array<[DurableFault, number]>) {
    it(`F6: a ${fault} error: failMode closed answers 503 and never calls the upstream; open lets the request through uncounted and logs`, async () => {
      const headers = await consumer();
      const closed = counter(fault);
      await expectUnavailable(await call(gateway, "/quota/closed", { headers }, { ...env, QUOTA: closed.namespace }), "quota counter");
      expect(closed.calls()).toBe(attempts);
      expect(await hits(headers["x-probe"])).toBe(0);

      const open = counter(fault);
      const logs = await logsOf(async () => {
        expect((await call(gateway, "/quota/open", { headers }, { ...env, QUOTA: open.namespace })).status).toBe(200);
      });
      expect(open.calls()).toBe(attempts);
      expect(await hits(headers["x-probe"])).toBe(1);
      expect(logs.some((line) => line.message === "quota counter unavailable" && line.level === "error")).toBe(true);
      expect(remaining(await call(gateway, "/quota/open", { headers }))).toBe(4);
    });
  }

  for (const fault of ["retryable", "lost-answer"] as const) {
    it(`F6: a ${fault} error is retried once and the request is counted once`, async () => {
      const headers = await consumer();
      const flaky = counter(fault, 1);
      const first = await call(gateway, "/quota/closed", { headers }, { ...env, QUOTA: flaky.namespace });
      expect([first.status, flaky.calls(), remaining(first)]).toEqual([200, 2, 4]);
      expect(remaining(await call(gateway, "/quota/closed", { headers }))).toBe(3);
    });
  }

  it("F6: an overloaded error is not retried and counts nothing", async () => {
    const headers = await consumer();
    const busy = counter("overloaded", 1);
    await expectUnavailable(await call(gateway, "/quota/closed", { headers }, { ...env, QUOTA: busy.namespace }), "quota counter");
    expect(busy.calls()).toBe(1);
    expect(remaining(await call(gateway, "/quota/closed", { headers }))).toBe(4);
  });
});
