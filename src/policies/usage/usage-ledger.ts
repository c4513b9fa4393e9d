/**
 * @module
 * The usage ledger: one SQLite-backed Durable Object per gateway that sums
 * the points every isolate sends it, per UTC hour, consumer, tier, operation
 * and status class. An hour's row holds totals, not points, so the table
 * grows with the variety of traffic rather than its volume; rows older than
 * 90 days are deleted as new points come in.
 */
import { DurableObject } from "cloudflare:workers";
import { ANONYMOUS, type UsagePoint } from "./point.ts";
import { GROUPINGS, type UsageGrouping, type UsageQuery, type UsageReport } from "./report.ts";

/** What it is asked and answers, beside the class (defined apart, for code outside workerd). */
export type { UsageQuery, UsageReport, UsageRow } from "./report.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const KEPT_DAYS = 90;

const hourOf = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;

const SCHEMA = `CREATE TABLE IF NOT EXISTS usage_hours (
  hour INTEGER NOT NULL,
  consumer TEXT NOT NULL,
  tier TEXT NOT NULL,
  operation TEXT NOT NULL,
  status_class TEXT NOT NULL,
  requests INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  bytes_in INTEGER NOT NULL,
  bytes_out INTEGER NOT NULL,
  tokens INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, consumer, tier, operation, status_class)
) WITHOUT ROWID`;

/** A ledger made before LLM tokens were recorded gets their column, each row at 0. */
const ADD_TOKENS = "ALTER TABLE usage_hours ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0";

const ADD = `INSERT INTO usage_hours VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO UPDATE SET requests = requests + excluded.requests, latency_ms = latency_ms + excluded.latency_ms,
  bytes_in = bytes_in + excluded.bytes_in, bytes_out = bytes_out + excluded.bytes_out, tokens = tokens + excluded.tokens`;

/** What each grouping groups by; a day is the hour's whole days since the epoch, dated in JS. */
const GROUP_BY: Record<UsageGrouping, string> = {
  operation: "operation",
  status: "status_class",
  consumer: "consumer",
  day: `hour / ${DAY_MS}`,
};

const byClass = (statusClass: string) => `sum(CASE WHEN status_class = '${statusClass}' THEN requests ELSE 0 END)`;

const queryOf = (by: UsageGrouping, forConsumer: boolean) => `SELECT ${GROUP_BY[by]} AS grp, sum(requests) AS requests,
  ${byClass("2xx")} AS s2, ${byClass("4xx")} AS s4, ${byClass("5xx")} AS s5,
  sum(latency_ms) AS latency, sum(bytes_in) AS bytes_in, sum(bytes_out) AS bytes_out, sum(tokens) AS tokens
  FROM usage_hours WHERE hour >= ?${forConsumer ? " AND consumer = ?" : ""}
  GROUP BY grp ORDER BY requests DESC, grp`;

type Totals = [requests: number, latency: number, bytesIn: number, bytesOut: number, tokens: number];

export class UsageLedger extends DurableObject {
  /** Hours before this one are known to be gone: the delete runs once an hour at most. */
  #keptFrom = 0;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
    if (!ctx.storage.sql.exec("SELECT * FROM usage_hours LIMIT 0").columnNames.includes("tokens")) ctx.storage.sql.exec(ADD_TOKENS);
  }

  /** Adds a batch of points; those older than the kept days are dropped. */
  record(points: UsagePoint[]): void {
    const keptFrom = hourOf(Date.now()) - KEPT_DAYS * DAY_MS;
    if (keptFrom > this.#keptFrom) {
      // The hour leads the primary key: the delete walks only the rows it removes.
      this.ctx.storage.sql.exec("DELETE FROM usage_hours WHERE hour < ?", keptFrom);
      this.#keptFrom = keptFrom;
    }
    // Summed here first: a batch of 100 points is a handful of rows to write.
    const sums = new Map<string, { key: [number, string, string, string, string]; totals: Totals }>();
    for (const point of points) {
      if (!(point.at >= keptFrom)) continue;
      const key: [number, string, string, string, string] = [
        hourOf(point.at),
        point.consumer ?? ANONYMOUS,
        point.tier ?? "",
        point.operationId,
        point.statusClass,
      ];
      const id = JSON.stringify(key);
      let entry = sums.get(id);
      if (!entry) sums.set(id, (entry = { key, totals: [0, 0, 0, 0, 0] }));
      entry.totals[0] += 1;
      entry.totals[1] += point.latencyMs;
      entry.totals[2] += point.bytesIn;
      entry.totals[3] += point.bytesOut;
      // Points from isolates that ran before tokens were recorded have none.
      entry.totals[4] += point.tokens ?? 0;
    }
    for (const { key, totals } of sums.values()) this.ctx.storage.sql.exec(ADD, ...key, ...totals);
  }

  query({ since, consumer, by }: UsageQuery): UsageReport {
    if (!GROUPINGS.includes(by)) throw new RangeError(`by must be one of ${GROUPINGS.join(", ")} (got ${String(by)})`);
    if (!Number.isFinite(since)) throw new RangeError(`since must be a time in ms since the epoch (got ${String(since)})`);
    const from = hourOf(since);
    const bindings = consumer === undefined ? [from] : [from, consumer];
    const rows = this.ctx.storage.sql.exec(queryOf(by, consumer !== undefined), ...bindings).toArray();
    return {
      since: new Date(from).toISOString(),
      until: new Date(Date.now()).toISOString(),
      by,
      rows: rows.map((row) => ({
        group: by === "day" ? new Date(Number(row.grp) * DAY_MS).toISOString().slice(0, 10) : String(row.grp),
        requests: Number(row.requests),
        status2xx: Number(row.s2),
        status4xx: Number(row.s4),
        status5xx: Number(row.s5),
        avgLatencyMs: Math.round((Number(row.latency) / Number(row.requests)) * 10) / 10,
        bytesIn: Number(row.bytes_in),
        bytesOut: Number(row.bytes_out),
        ...(Number(row.tokens) > 0 ? { tokens: Number(row.tokens) } : {}),
      })),
    };
  }
}
