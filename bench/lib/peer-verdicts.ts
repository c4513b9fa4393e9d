/**
 * @module
 * Each Portico variant judged against a peer doing the same work in the same
 * run: its throughput (as a share of the baseline's) at most 0.05 below the
 * peer's, and its p99 at most 1.2× the peer's. Both are taken round by round,
 * Portico and its peer from the same round, then the median over rounds, so a
 * shared machine's changing load falls on both alike.
 */
import { median } from "./load.ts";
import type { Column, Summary } from "./report.ts";

/** How far below its peer's share of the baseline's throughput a variant may be. */
export const PEER_THROUGHPUT_GAP = 0.05;
/** How many times its peer's p99 a variant's may be. */
export const PEER_P99_RATIO = 1.2;

export interface PeerVerdict {
  variant: string;
  peer: string;
  /** Median over rounds of the variant's ×baseline throughput. */
  share: number;
  /** The same for the peer. */
  peerShare: number;
  /** Median over rounds of (variant's ×baseline − peer's ×baseline), same round. */
  gap: number;
  /** Median over rounds of (variant's p99 ÷ peer's p99), same round. */
  p99Ratio: number;
  throughputMet: boolean;
  p99Met: boolean;
}

/** `pairs`: Portico variant → its peer; `baseline`: the variant every share is of. */
export function peerVerdicts(summaries: Summary[], pairs: Record<string, string>, baseline: string): PeerVerdict[] {
  const byName = new Map(summaries.map((s) => [s.variant, s]));
  const base = byName.get(baseline);
  if (!base) return [];
  return Object.entries(pairs).flatMap(([variant, peer]) => {
    const own = byName.get(variant);
    const other = byName.get(peer);
    if (!own || !other) return [];
    const rounds = base.rounds.map((_, i) => i).filter((i) => own.rounds[i] && other.rounds[i]);
    const gap = median(rounds.map((i) => (own.rounds[i].requestsPerSecond - other.rounds[i].requestsPerSecond) / base.rounds[i].requestsPerSecond));
    const p99Ratio = median(rounds.map((i) => own.rounds[i].p99Us / other.rounds[i].p99Us));
    return [
      {
        variant,
        peer,
        share: own.ratio.requestsPerSecond,
        peerShare: other.ratio.requestsPerSecond,
        gap,
        p99Ratio,
        throughputMet: gap >= -PEER_THROUGHPUT_GAP,
        p99Met: p99Ratio <= PEER_P99_RATIO,
      },
    ];
  });
}

const signed = (value: number) => `${value < 0 ? "−" : "+"}${Math.abs(value).toFixed(2)}`;

/** "−0.03 req/s, ×1.10 p99: met", the verdict in one cell. */
export function peerCell(verdict: PeerVerdict | undefined): string {
  if (!verdict) return "";
  const met = verdict.throughputMet && verdict.p99Met;
  return `${signed(verdict.gap)} req/s, ×${verdict.p99Ratio.toFixed(2)} p99: ${met ? "met" : "MISSED"}`;
}

/** The table column: each Portico variant against its peer (the peers' own rows stay empty). */
export function peerColumn(verdicts: PeerVerdict[], title: string): Column {
  return { title, cell: (summary) => peerCell(verdicts.find((v) => v.variant === summary.variant)) };
}
