import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import usageGateway from "../../../test/.generated/usage/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import { parseSince } from "./admin.ts";
import type { UsageReport } from "./report.ts";

const admin = { authorization: `Bearer ${env.PORTICO_ADMIN_TOKEN}` };

/** A consumer of its own, so the gateway's one ledger (shared by every test) holds only its own traffic under its id. */
async function freshConsumer() {
  const id = `usage-${crypto.randomUUID()}`;
  return { id, headers: { "x-api-key": await storeConsumer({ id, tier: "gold" }) } };
}

describe("GET /_portico/usage", () => {
  it("answers the ledger's sums for the admin token, once the gateway's batch has gone", async () => {
    const { id, headers } = await freshConsumer();
    expect((await call(usageGateway, "/things/1", { headers })).status).toBe(200);
    expect((await call(usageGateway, "/things/2", { headers: { ...headers, prefer: "code=404" } })).status).toBe(404);
    // call() waits for the request's waitUntil, and with it the 1 s the batch waits.
    const response = await call(usageGateway, `/_portico/usage?since=1h&by=status&consumer=${id}`, { headers: admin });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const report = (await response.json()) as UsageReport;
    expect(report.by).toBe("status");
    expect(Date.parse(report.until) - Date.parse(report.since)).toBeLessThanOrEqual(2 * 3_600_000);
    expect(report.rows).toEqual([
      expect.objectContaining({ group: "2xx", requests: 1, status2xx: 1, status4xx: 0, status5xx: 0 }),
      expect.objectContaining({ group: "4xx", requests: 1, status2xx: 0, status4xx: 1, status5xx: 0 }),
    ]);
    const byOperation = (await (await call(usageGateway, `/_portico/usage?since=2026-01-01&consumer=${id}`, { headers: admin })).json()) as UsageReport;
    expect(byOperation).toMatchObject({ since: "2026-01-01T00:00:00.000Z", by: "operation", rows: [{ group: "getThing", requests: 2 }] });
  });

  it("is the same 404 as any unknown path without the token, or with a wrong one", async () => {
    const callers: HeadersInit[] = [{}, { authorization: "Bearer not-the-admin-token-0123456789abcdef" }];
    for (const headers of callers) {
      const response = await call(usageGateway, "/_portico/usage?by=consumer", { headers });
      expect(response.status).toBe(404);
      expect((await problemOf(response)).status).toBe(404);
    }
  });

  it("refuses a grouping or a since it does not know with 400", async () => {
    for (const query of ["by=tier", "since=yesterday", "since=2026-13-45", "since=24s"]) {
      const response = await call(usageGateway, `/_portico/usage?${query}`, { headers: admin });
      expect(response.status, query).toBe(400);
      expect((await problemOf(response)).detail, query).toMatch(/^(by|since) must be/);
    }
  });

  it("points to `portico usage --remote` when usage goes to Analytics Engine (501)", async () => {
    const response = await call(usageGateway, "/_portico/usage", { headers: admin }, { ...env, USAGE: env.USAGE_EVENTS });
    expect(response.status).toBe(501);
    expect((await problemOf(response)).detail).toContain("portico usage --remote");
  });
});

describe("since", () => {
  const now = Date.UTC(2026, 10, 18, 10, 30);

  it("reads minutes, hours, days and weeks back from now, and ISO dates and instants", () => {
    expect(parseSince("24h", now)).toBe(now - 24 * 3_600_000);
    expect(parseSince("7d", now)).toBe(now - 7 * 86_400_000);
    expect(parseSince("30m", now)).toBe(now - 30 * 60_000);
    expect(parseSince("2w", now)).toBe(now - 14 * 86_400_000);
    expect(parseSince("2026-11-01", now)).toBe(Date.UTC(2026, 10, 1));
    expect(parseSince("2026-11-01T08:00:00Z", now)).toBe(Date.UTC(2026, 10, 1, 8));
    expect(parseSince("2026-11-01T08:00+02:00", now)).toBe(Date.UTC(2026, 10, 1, 6));
  });

  it("reads nothing else", () => {
    for (const value of ["", "24", "h", "-1d", "1y", "yesterday", "2026-13-01", "1700000000000", "2026-11-01 08:00"])
      expect(parseSince(value, now), value).toBeUndefined();
  });
});
