/**
 * @module
 * Summaries of the rounds, and the table. A ratio is the median over rounds of
 * (variant ÷ plain in that round): each round measures every variant within a
 * few seconds, so drift in a shared machine's load cancels out round by round.
 */
import { median, quantile, type Batch } from "./load.ts";

export interface Summary {
  variant: string;
  requests: number;
  medianUs: number;
  p99Us: number;
  requestsPerSecond: number;
  /**
   * 1/throughput minus plain's, µs: the time each request adds. Unlike a latency
   * difference, it does not grow with the requests queued behind one another.
   */
  addedUs: number;
  ratio: { median: number; p99: number; requestsPerSecond: number };
  rounds: Array<{ medianUs: number; p99Us: number; requestsPerSecond: number }>;
}

function roundFigures(batch: Batch) {
  const sorted = Float64Array.from(batch.latencies).sort();
  return { medianUs: quantile(sorted, 0.5), p99Us: quantile(sorted, 0.99), requestsPerSecond: batch.latencies.length / (batch.wallMs / 1000) };
}

/** `batches[variant][round]`; the first variant is the baseline. */
export function summarise(batches: Map<string, Batch[]>, baseline: string): Summary[] {
  const rounds = new Map([...batches].map(([variant, list]) => [variant, list.map(roundFigures)]));
  const base = rounds.get(baseline)!;
  return [...batches].map(([variant, list]) => {
    const all = Float64Array.from(list.flatMap((batch) => [...batch.latencies])).sort();
    const wallMs = list.reduce((sum, batch) => sum + batch.wallMs, 0);
    const own = rounds.get(variant)!;
    const ratioOf = (key: "medianUs" | "p99Us" | "requestsPerSecond") => median(own.map((round, i) => round[key] / base[i][key]));
    return {
      variant,
      requests: all.length,
      medianUs: quantile(all, 0.5),
      p99Us: quantile(all, 0.99),
      requestsPerSecond: all.length / (wallMs / 1000),
      addedUs: median(own.map((round, i) => 1e6 / round.requestsPerSecond - 1e6 / base[i].requestsPerSecond)),
      ratio: { median: ratioOf("medianUs"), p99: ratioOf("p99Us"), requestsPerSecond: ratioOf("requestsPerSecond") },
      rounds: own,
    };
  });
}

export interface Column<S extends Summary = Summary> {
  title: string;
  cell: (summary: S) => string;
}

/** One row a variant; ratio columns are headed ×<baseline>, and `extra` columns follow. */
export function table<S extends Summary>(summaries: S[], baseline = "plain", extra: Column<S>[] = []): string {
  const ratio = `×${baseline}`;
  const header = ["variant", "requests", "median µs", ratio, "p99 µs", ratio, "req/s", ratio, "+µs/req", ...extra.map((column) => column.title)];
  const rows = summaries.map((s) => [
    s.variant,
    String(s.requests),
    s.medianUs.toFixed(0),
    s.ratio.median.toFixed(2),
    s.p99Us.toFixed(0),
    s.ratio.p99.toFixed(2),
    s.requestsPerSecond.toFixed(0),
    s.ratio.requestsPerSecond.toFixed(2),
    (s.addedUs >= 0 ? "+" : "") + s.addedUs.toFixed(0),
    ...extra.map((column) => column.cell(s)),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
