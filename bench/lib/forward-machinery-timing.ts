/**
 * @module
 * The forward machinery's cost per request (bench/gateways/traffic/forward-machinery.ts),
 * timed inside workerd by the machinery Worker and, as a reference, in Node on the
 * same module. Each is the median over repeats of ns per request.
 */
import { forwardMachinery, WEIGHTS } from "../gateways/traffic/forward-machinery.ts";
import { median } from "./load.ts";

export interface MachineryPlan {
  iterations: number;
  repeats: number;
}

export interface MachineryFigure {
  /** Median over repeats; undefined when the clock did not move even across I/O. */
  nsPerRequest: number | undefined;
  perRepeatNs: number[];
  /** How many requests went to each target, every run included (warm-up too). */
  chosen: number[];
}

/** The target a request's traffic management must stay under, ns. */
export const MACHINERY_TARGET_NS = 5_000;

const microseconds = (ns: number | undefined) => (ns === undefined ? "?" : `${(ns / 1000).toFixed(2)} µs`);

const figure = (spansMs: number[], overheadMs: number, iterations: number, chosen: number[]): MachineryFigure => {
  const perRepeatNs = spansMs.map((span) => ((span - overheadMs) * 1e6) / iterations);
  return { nsPerRequest: median(spansMs) > 0 ? median(perRepeatNs) : undefined, perRepeatNs, chosen };
};

/** Asks the machinery Worker to time it; the wait around each timing (the I/O that moves the clock) is taken off. */
export async function machineryInWorkerd(url: URL, plan: MachineryPlan): Promise<MachineryFigure & { clockMovedDuringCode: boolean }> {
  const asked = new URL(`/?iterations=${plan.iterations}&repeats=${plan.repeats}&warmup=${plan.iterations}`, url);
  const response = await fetch(asked);
  if (!response.ok) throw new Error(`The machinery Worker answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const timed = (await response.json()) as { spansMs: number[]; waitsMs: number[]; clockMovedDuringCode: boolean; chosen: number[] };
  return { ...figure(timed.spansMs, median(timed.waitsMs), plan.iterations, timed.chosen), clockMovedDuringCode: timed.clockMovedDuringCode };
}

/** The same module in this process: Node's clock moves while code runs, so nothing is taken off. */
export function machineryInNode(plan: MachineryPlan): MachineryFigure {
  const machinery = forwardMachinery();
  machinery.run(plan.iterations);
  const spansMs: number[] = [];
  for (let r = 0; r < plan.repeats; r++) {
    const start = performance.now();
    machinery.run(plan.iterations);
    spansMs.push(performance.now() - start);
  }
  return figure(spansMs, 0, plan.iterations, machinery.run(0));
}

export interface Verdict {
  judgedIn: "workerd" | "node";
  nsPerRequest: number | undefined;
  targetNs: number;
  met: boolean;
}

/** Judged inside the isolate; Node's figure stands in only when workerd's clock could not time the loop. */
export function judge(inWorkerd: MachineryFigure, inNode: MachineryFigure): Verdict {
  const judgedIn = inWorkerd.nsPerRequest === undefined ? "node" : "workerd";
  const nsPerRequest = judgedIn === "workerd" ? inWorkerd.nsPerRequest : inNode.nsPerRequest;
  return { judgedIn, nsPerRequest, targetNs: MACHINERY_TARGET_NS, met: nsPerRequest !== undefined && nsPerRequest < MACHINERY_TARGET_NS };
}

/** The lines the bench prints about it. */
export function describeMachinery(plan: MachineryPlan, inWorkerd: MachineryFigure & { clockMovedDuringCode: boolean }, inNode: MachineryFigure): string[] {
  const verdict = judge(inWorkerd, inNode);
  const where = verdict.judgedIn === "workerd" ? "in workerd" : "in Node (workerd's clock could not time it)";
  return [
    "Forward's traffic management per request, happy path (an upstream group of 3 weighted targets: retry eligibility, the choice, its breaker's admission and success, no retry):",
    `  in workerd (Miniflare), timed across I/O: ${microseconds(inWorkerd.nsPerRequest)} (median of ${plan.repeats} × ${plan.iterations}; the clock ${inWorkerd.clockMovedDuringCode ? "moved" : "stood still"} while code ran)`,
    `  in Node ${process.versions.node}, the same module: ${microseconds(inNode.nsPerRequest)}`,
    `  target < ${microseconds(MACHINERY_TARGET_NS)} per request, judged ${where}: ${verdict.met ? "met" : "MISSED"}`,
    `  targets chosen in workerd: ${shares(inWorkerd.chosen)}`,
  ];
}

/** "70.1 / 19.9 / 10.0 % (weights 70 / 20 / 10)": the draws by weight, as a sanity check. */
function shares(chosen: number[]): string {
  const total = chosen.reduce((sum, n) => sum + n, 0);
  const percent = chosen.map((n) => ((100 * n) / total).toFixed(1)).join(" / ");
  return `${percent} % (weights ${WEIGHTS.join(" / ")})`;
}
