/**
 * @module
 * The short pass before measuring that proves each variant takes the path it
 * claims: a failed check stops the run, so no figure describes a gateway that
 * skipped the work it was meant to measure.
 */
import type { Client, Reply, RequestShape } from "./load.ts";

export interface Check {
  variant: string;
  what: string;
  /** Undefined when the check holds, else what was seen instead. */
  verify: (client: Client) => Promise<string | undefined>;
}

/** A check of one request: its status, and what else its reply must show (a body that is not JSON fails). */
export function expectReply(variant: string, what: string, request: RequestShape, expect: number, holds: (reply: Reply) => boolean): Check {
  return {
    variant,
    what,
    async verify(client) {
      const reply = await client.send(request);
      let holding = false;
      try {
        holding = holds(reply);
      } catch {
        // A body that is not JSON fails the check.
      }
      return reply.status === expect && holding ? undefined : `expected ${expect}, got ${reply.status} ${reply.body.slice(0, 300)}`;
    },
  };
}

/** Runs the checks one after another; on any failure, says each and that nothing will be measured. */
export async function passChecks(client: Client, checks: readonly Check[], say: (line: string) => void): Promise<boolean> {
  const failures: string[] = [];
  for (const check of checks) {
    const failure = await check.verify(client);
    if (failure !== undefined) failures.push(`${check.variant}, ${check.what}: ${failure}`);
  }
  if (failures.length > 0) say(`✘ ${failures.length} of ${checks.length} checks failed; nothing was measured:\n  ${failures.join("\n  ")}`);
  return failures.length === 0;
}
