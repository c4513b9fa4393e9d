/**
 * @module
 * Warm-up, then alternating rounds: every variant once per round, in an order
 * rotated each round, so no variant always runs first or right after another
 * and a shared machine's changing load falls on all of them alike.
 */
import type { Batch } from "./load.ts";

export interface RoundPlan {
  rounds: number;
  requests: number;
  warmup: number;
  /** performance.now() after which no round starts. */
  deadline: number;
}

export async function measureRounds<V extends string>(
  variants: readonly V[],
  run: (variant: V, count: number) => Promise<Batch>,
  plan: RoundPlan,
  progress: (line: string) => void,
): Promise<{ batches: Map<V, Batch[]>; rounds: number }> {
  if (plan.warmup > 0) for (const variant of variants) await run(variant, plan.warmup);
  const batches = new Map<V, Batch[]>(variants.map((variant) => [variant, []]));
  let rounds = 0;
  while (rounds < plan.rounds) {
    if (rounds > 0 && performance.now() > plan.deadline) {
      progress(`time budget reached: stopping after ${rounds} round(s)`);
      break;
    }
    const order = variants.map((_, i) => variants[(i + rounds) % variants.length]);
    for (const variant of order) batches.get(variant)!.push(await run(variant, plan.requests));
    rounds++;
    progress(`round ${rounds}/${plan.rounds} done`);
  }
  return { batches, rounds };
}
