/**
 * @module
 * What the usage ledger is asked and what it answers: the shape of
 * GET /_portico/usage, kept apart from the Durable Object class so that code
 * outside workerd can read it.
 */

export const GROUPINGS = ["operation", "status", "day", "consumer"] as const;
export type UsageGrouping = (typeof GROUPINGS)[number];

export interface UsageQuery {
  /** Ms since the epoch; counted from the start of its hour. */
  since: number;
  /** Only this consumer's usage ("anonymous" for callers without one). */
  consumer?: string;
  by: UsageGrouping;
}

export interface UsageRow {
  /** The operationId, status class, UTC date (YYYY-MM-DD) or consumer id. */
  group: string;
  requests: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  /** Rounded to a tenth of a millisecond. */
  avgLatencyMs: number;
  bytesIn: number;
  bytesOut: number;
  /** LLM tokens the group's answers cost (llm handler); absent when none. */
  tokens?: number;
}

export interface UsageReport {
  /** ISO instants: the start of the first hour counted, and when the ledger answered. */
  since: string;
  until: string;
  by: UsageGrouping;
  /** Most requests first. */
  rows: UsageRow[];
}
