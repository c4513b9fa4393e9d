/**
 * @module
 * The CPU time a process has used so far, from Linux's /proc: the sum of its
 * threads' time on a CPU (schedstat, in nanoseconds). Read before and after a
 * batch, it says what the batch cost that process, whatever else the machine
 * was running meanwhile.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Nanoseconds on a CPU, all threads; undefined where /proc has no schedstat. */
export function cpuNs(pid: number): number | undefined {
  try {
    let sum = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      sum += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    }
    return sum;
  } catch {
    return undefined;
  }
}
