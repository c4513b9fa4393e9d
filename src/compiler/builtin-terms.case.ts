/**
 * @module
 * The terms of the build-time contract (builtin.case.ts): its tests by title,
 * and what a built-in's build.test.ts gives it (valid options, invalid ones,
 * skips with reasons).
 */

/** The contract's tests, by title: what a `skip` entry names. */
export const BUILD_TESTS = {
  invalid: "refuses invalid options at build, located at the options and naming the built-in",
  valid: "builds with minimal valid options and no errors",
  defaults: "fills in every option the schema gives a default",
  summary: "sums itself up in one sentence",
  schema: "documents every option and refuses unknown ones",
  kind: "lives in the folder of its name, with the hooks its kind needs",
  hooks: "sets up exactly the hooks its descriptor declares",
} as const;

export type BuildTest = (typeof BUILD_TESTS)[keyof typeof BUILD_TESTS];

/** Tests a built-in cannot run, and why (Hono's `skip: [{ reason, tests }]`). */
export interface Skip<Test extends string> {
  reason: string;
  tests: Test[];
}

export interface BuildContract {
  /** The smallest options it builds with; `{}` when none are required. Absent only when skipped. */
  valid?: Record<string, unknown>;
  /** Options the build must refuse, each for a reason of its own. */
  invalid?: Array<Record<string, unknown>>;
  skip?: Array<Skip<BuildTest>>;
}
