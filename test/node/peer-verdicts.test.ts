import { describe, expect, it } from "vitest";
import { peerCell, peerVerdicts } from "../../bench/lib/peer-verdicts.ts";
import type { Summary } from "../../bench/lib/report.ts";

/** A variant's rounds: req/s and p99 µs, one pair a round. */
const variant = (name: string, rounds: Array<[number, number]>): Summary => ({
  variant: name,
  requests: 3000,
  medianUs: 500,
  p99Us: 0,
  requestsPerSecond: 0,
  addedUs: 0,
  ratio: { median: 1, p99: 1, requestsPerSecond: rounds[0][0] / 8000 },
  rounds: rounds.map(([requestsPerSecond, p99Us]) => ({ medianUs: 500, p99Us, requestsPerSecond })),
});

describe("a Portico variant against its peer", () => {
  it("compares the two in each round, so a round the whole machine slowed down in counts against neither", () => {
    // Round 2 ran at half speed for everyone: Portico trails its peer by 0.04 of bare in every round.
    const summaries = [
      variant("bare", [
        [8000, 1000],
        [4000, 2000],
        [8000, 1000],
      ]),
      variant("forward", [
        [4800, 1300],
        [2400, 2600],
        [4800, 1300],
      ]),
      variant("Hono forward", [
        [5120, 1000],
        [2560, 2000],
        [5120, 1000],
      ]),
    ];
    const [verdict] = peerVerdicts(summaries, { forward: "Hono forward" }, "bare");
    expect(verdict.gap).toBeCloseTo(-0.04);
    expect(verdict.p99Ratio).toBeCloseTo(1.3);
    expect(verdict.throughputMet).toBe(true);
    expect(verdict.p99Met).toBe(false);
    expect(peerCell(verdict)).toBe("−0.04 req/s, ×1.30 p99: MISSED");
  });

  it("misses by more than 0.05 of bare, and leaves out a pair the run did not measure", () => {
    const summaries = [variant("bare", [[8000, 1000]]), variant("forward", [[4000, 1000]]), variant("Hono forward", [[4800, 1000]])];
    const verdicts = peerVerdicts(summaries, { forward: "Hono forward", "+ async limit": "Hono + async limit" }, "bare");
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0].gap).toBeCloseTo(-0.1);
    expect(verdicts[0].throughputMet).toBe(false);
    expect(peerCell(verdicts[0])).toBe("−0.10 req/s, ×1.00 p99: MISSED");
  });
});
