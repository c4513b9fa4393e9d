/**
 * @module
 * What `portico usage` asks for, and the answer it reads: the time the
 * figures start from (`--since 24h | 7d | <ISO date>`), how they are grouped,
 * the Analytics Engine SQL that sums the usage dataset so, and its answer's
 * rows in the shape the gateway's GET /_portico/usage gives them.
 */
import type { Problem } from "./style.ts";

import type { UsageGrouping as Grouping, UsageRow } from "../policies/usage/report.ts";

/** What GET /_portico/usage answers, as the usage built-in defines it. */
export { GROUPINGS, type UsageReport, type UsageRow } from "../policies/usage/report.ts";
export type { Grouping };

export interface Since {
  /** The instant, for the gateway's `since` parameter. */
  at: Date;
  /** The same as an Analytics Engine SQL condition on `timestamp`. */
  sql: string;
}

const DURATION = /^(\d+)(m|h|d|w)$/;
const SQL_UNIT: Record<string, [unit: string, times: number, ms: number]> = {
  m: ["MINUTE", 1, 6e4],
  h: ["HOUR", 1, 36e5],
  d: ["DAY", 1, 864e5],
  w: ["DAY", 7, 864e5],
};

/** `24h`, `7d`, `2w`, `30m`, or an ISO date or instant in the past. */
export function parseSince(value: string, now: number): Since | { problem: Problem } {
  const duration = DURATION.exec(value);
  if (duration) {
    const [unit, times, ms] = SQL_UNIT[duration[2]];
    const count = Number(duration[1]) * times;
    return { at: new Date(now - count * ms), sql: `timestamp > NOW() - INTERVAL '${count}' ${unit}` };
  }
  const at = Date.parse(value);
  if (Number.isNaN(at) || at >= now) {
    const problem = Number.isNaN(at) ? `--since "${value}" is neither a duration nor a date.` : `--since "${value}" is not in the past.`;
    return { problem: { message: problem, where: "--since", hint: "give a duration such as 24h or 7d, or an ISO date such as 2026-12-01." } };
  }
  // Analytics Engine reads 'YYYY-MM-DD hh:mm:ss' in UTC, its only zone.
  const utc = new Date(at).toISOString().slice(0, 19).replace("T", " ");
  return { at: new Date(at), sql: `timestamp > toDateTime('${utc}')` };
}

/** The dataset's columns (src/policies/usage/stores.ts, dataPointOf) each grouping reads. */
const GROUP_COLUMN: Record<Grouping, string> = {
  operation: "blob1",
  status: "blob3",
  day: "formatDateTime(timestamp, '%Y-%m-%d')",
  consumer: "blob4",
};

const sqlString = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * The SQL for the rows. Analytics Engine keeps a sample of the points under
 * load, each standing for `_sample_interval` of them: counts and sums weigh
 * every point by it, and the mean latency is a weighted one.
 */
export function usageSql(query: { dataset: string; since: Since; by: Grouping; consumer?: string }): string {
  const where = [query.since.sql, ...(query.consumer === undefined ? [] : [`index1 = ${sqlString(query.consumer)}`])];
  const share = (statusClass: string) => `SUM(IF(blob3 = '${statusClass}', _sample_interval, 0)) AS status${statusClass}`;
  return [
    "SELECT",
    `  ${GROUP_COLUMN[query.by]} AS group_key,`,
    "  SUM(_sample_interval) AS requests,",
    `  ${share("2xx")},`,
    `  ${share("4xx")},`,
    `  ${share("5xx")},`,
    "  SUM(_sample_interval * double2) / SUM(_sample_interval) AS avg_latency_ms,",
    "  SUM(_sample_interval * double3) AS bytes_in,",
    "  SUM(_sample_interval * double4) AS bytes_out,",
    "  SUM(_sample_interval * double6) AS tokens",
    `FROM ${query.dataset}`,
    `WHERE ${where.join(" AND ")}`,
    "GROUP BY group_key",
    "ORDER BY requests DESC, group_key",
    "FORMAT JSON",
  ].join("\n");
}

/** Analytics Engine's JSON answer (`{ meta, data, rows }`) as usage rows; 64-bit sums may come as strings. */
export function rowsOfAnswer(answer: unknown): UsageRow[] | undefined {
  const data = (answer as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return undefined;
  return data.map((row: Record<string, unknown>) => ({
    group: String(row.group_key ?? ""),
    requests: Math.round(Number(row.requests)),
    status2xx: Math.round(Number(row.status2xx)),
    status4xx: Math.round(Number(row.status4xx)),
    status5xx: Math.round(Number(row.status5xx)),
    avgLatencyMs: Math.round(Number(row.avg_latency_ms) * 10) / 10,
    bytesIn: Math.round(Number(row.bytes_in)),
    bytesOut: Math.round(Number(row.bytes_out)),
    ...(Number(row.tokens) > 0 ? { tokens: Math.round(Number(row.tokens)) } : {}),
  }));
}
