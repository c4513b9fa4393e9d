/**
 * Skips that say why, as test options: the reason goes into the test's meta, where the
 * closing skip summary (skip-summary.ts) and vitest's JSON report read it.
 */
import type { TestOptions } from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** Why the test is skipped: the skip summary counts the tests of each reason. */
    skipReason?: string;
  }
}

/** The reason of the tests a built-in's contract lists under `skip`, each title saying why. */
export const NOT_APPLICABLE = "their built-in's contract says they do not apply (each title says why)";

/** Options for `describe` or `it` that skip it for `reason`. */
export function skipFor(reason: string): TestOptions {
  return { skip: true, meta: { skipReason: reason } };
}

/** Options for `describe` or `it`: they run when `ok`, else are skipped for `reason`. */
export function runIf(ok: boolean, reason: string): TestOptions {
  return ok ? {} : skipFor(reason);
}
