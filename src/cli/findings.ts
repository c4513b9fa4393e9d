/**
 * @module
 * How `portico build`, `check` and `init` print what the build found: each
 * error and warning in the three parts (what, where, how to fix), and the
 * examples that break their schema folded into one line unless --verbose.
 */
import { type BuildError, EXAMPLE_GROUP } from "../compiler/errors.ts";
import type { ExampleSummary } from "../compiler/plan/example-check.ts";
import { formatProblem, paintErr, type Problem } from "./style.ts";

export const asProblem = (error: BuildError): Problem => ({
  severity: error.severity,
  message: error.message,
  where: error.where,
  hint: error.hint,
  frame: error.frame,
});

/** The one line that stands for every example that breaks its schema, unless --verbose prints each. */
export function examplesLine(summary: ExampleSummary): string {
  const { broken, replaced } = summary;
  const served = replaced > 0 ? `; the mock answers with a value generated from the schema in place of ${replaced} of them` : "";
  return `${broken} example(s) of ${summary.checked} break their schema${served}. See each, located, with --verbose or --json; --strict makes them errors.`;
}

export interface Findings {
  errors: BuildError[];
  warnings: BuildError[];
  examples?: ExampleSummary;
}

/** Prints the errors and warnings on stderr; `command` names the line about examples. */
export function printFindings(command: string, { errors, warnings, examples }: Findings, { verbose = false, strict = false } = {}): void {
  // Documents with hundreds of broken examples would bury every other warning: one line stands for them.
  const shown = verbose ? warnings : warnings.filter((warning) => warning.group !== EXAMPLE_GROUP);
  for (const problem of [...errors, ...shown]) console.error(`${formatProblem(asProblem(problem))}\n`);
  if (examples && examples.broken > 0 && !strict) console.error(`${paintErr("yellow", `portico ${command}:`)} ${examplesLine(examples)}\n`);
}
