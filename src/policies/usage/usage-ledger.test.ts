import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { elapse, freezeClockPerTest } from "../../../test/support/clock.ts";
import type { UsagePoint } from "./point.ts";
import type { UsageLedger } from "./usage-ledger.ts";

// Mid-day, mid-month: a test's points fall in the hours and days it means them to.
freezeClockPerTest(Date.UTC(2026, 10, 18, 10, 30));

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A ledger of the test's own (the gateway's is the one named "usage"). */
const freshLedger = () => env.USAGE.get(env.USAGE.idFromName(`ledger-test-${crypto.randomUUID()}`));

function point(fields: Partial<UsagePoint>): UsagePoint {
  const status = fields.status ?? 200;
  return {
    at: Date.now(),
    consumer: "acme",
    tier: "gold",
    operationId: "getThing",
    status,
    statusClass: `${Math.floor(status / 100)}xx`,
    latencyMs: 10,
    bytesIn: 0,
    bytesOut: 100,
    tokens: 0,
    ...fields,
  };
}

describe("the usage ledger", () => {
  it("sums points by hour and answers each grouping, most requests first", async () => {
    const ledger = freshLedger();
    await ledger.record([
      point({ status: 200, latencyMs: 10, bytesIn: 5, bytesOut: 100 }),
      point({ status: 404, latencyMs: 20, bytesOut: 50 }),
      point({ consumer: null, tier: null, status: 500, latencyMs: 40, bytesOut: 10 }),
      point({ operationId: "listThings", latencyMs: 30, at: Date.now() - DAY_MS }),
      point({ consumer: "beta", tier: "silver", operationId: "listThings", status: 302, latencyMs: 50, at: Date.now() - 2 * DAY_MS }),
    ]);
    await ledger.record([point({ status: 201, latencyMs: 6, bytesIn: 7, bytesOut: 1 })]);
    const since = Date.now() - 7 * DAY_MS;
    const row = (group: string, requests: number, s2: number, s4: number, s5: number, avgLatencyMs: number, bytesIn: number, bytesOut: number) => ({
      group,
      requests,
      status2xx: s2,
      status4xx: s4,
      status5xx: s5,
      avgLatencyMs,
      bytesIn,
      bytesOut,
    });

    expect((await ledger.query({ since, by: "operation" })).rows).toEqual([
      row("getThing", 4, 2, 1, 1, 19, 12, 161),
      row("listThings", 2, 1, 0, 0, 40, 0, 200),
    ]);
    expect((await ledger.query({ since, by: "status" })).rows).toEqual([
      row("2xx", 3, 3, 0, 0, 15.3, 12, 201),
      row("3xx", 1, 0, 0, 0, 50, 0, 100),
      row("4xx", 1, 0, 1, 0, 20, 0, 50),
      row("5xx", 1, 0, 0, 1, 40, 0, 10),
    ]);
    expect((await ledger.query({ since, by: "day" })).rows).toEqual([
      row("2026-11-18", 4, 2, 1, 1, 19, 12, 161),
      row("2026-11-16", 1, 0, 0, 0, 50, 0, 100),
      row("2026-11-17", 1, 1, 0, 0, 30, 0, 100),
    ]);
    expect((await ledger.query({ since, by: "consumer" })).rows).toEqual([
      row("acme", 4, 3, 1, 0, 16.5, 12, 251),
      row("anonymous", 1, 0, 0, 1, 40, 0, 10),
      row("beta", 1, 0, 0, 0, 50, 0, 100),
    ]);
  });

  it("sums the LLM tokens of the points, and leaves tokens out of rows whose answers cost none", async () => {
    const ledger = freshLedger();
    await ledger.record([point({ operationId: "chat", tokens: 18 }), point({ operationId: "chat", tokens: 30 }), point({})]);
    const rows = (await ledger.query({ since: 0, by: "operation" })).rows;
    expect(rows.map(({ group, requests, tokens }) => ({ group, requests, tokens }))).toEqual([
      { group: "chat", requests: 2, tokens: 48 },
      { group: "getThing", requests: 1, tokens: undefined },
    ]);
    expect("tokens" in rows[1]).toBe(false);
  });

  it("counts from the start of since's hour, and only the consumer asked for", async () => {
    const ledger = freshLedger();
    await ledger.record([point({ at: Date.now() - 2 * HOUR_MS }), point({}), point({ consumer: "beta" })]);
    const report = await ledger.query({ since: Date.now() - 10 * 60_000, consumer: "acme", by: "operation" });
    expect(report).toEqual({
      since: "2026-11-18T10:00:00.000Z",
      until: "2026-11-18T10:30:00.000Z",
      by: "operation",
      rows: [{ group: "getThing", requests: 1, status2xx: 1, status4xx: 0, status5xx: 0, avgLatencyMs: 10, bytesIn: 0, bytesOut: 100 }],
    });
    expect((await ledger.query({ since: 0, consumer: "nobody", by: "day" })).rows).toEqual([]);
  });

  it("keeps 90 days: older hours are deleted as points come in, and older points are not added", async () => {
    const ledger = freshLedger();
    const first = Date.now();
    await ledger.record([point({ operationId: "first" })]);
    elapse(89 * DAY_MS);
    await ledger.record([point({ operationId: "second" })]);
    expect((await ledger.query({ since: 0, by: "operation" })).rows.map(({ group }) => group).sort()).toEqual(["first", "second"]);
    elapse(2 * DAY_MS);
    await ledger.record([point({ operationId: "third" }), point({ operationId: "late", at: first })]);
    expect((await ledger.query({ since: 0, by: "operation" })).rows.map(({ group }) => group).sort()).toEqual(["second", "third"]);
  });

  it("refuses a grouping it does not know and a since that is no time", async () => {
    // Called inside the object: a refusal across RPC also surfaces as an unhandled rejection in the test runner's wrapper.
    await runInDurableObject(freshLedger(), (ledger: UsageLedger) => {
      expect(() => ledger.query({ since: 0, by: "tier" as "day" })).toThrow(/by must be one of operation, status, day, consumer/);
      expect(() => ledger.query({ since: Number.NaN, by: "day" })).toThrow(/since must be a time/);
    });
  });
});
