/**
 * A vitest reporter that closes the run with one line: how many tests were skipped, counted by
 * the reason each gave (runIf in skips.ts). It prints nothing else, so it goes beside the default
 * reporter: in vitest.config.ts, and as a --reporter flag wherever the reporters are named.
 */
import type { Reporter, TestCase, TestModule, Vitest } from "vitest/node";
import "./skips.ts";

const NO_REASON = "no reason given, or left out by -t or .only";

/** Why a test was skipped: its own reason, else what vitest knows. */
function reasonOf(test: TestCase): string | undefined {
  const { skipReason } = test.meta();
  if (skipReason) return skipReason;
  if (test.options.mode === "todo") return "to do";
  // Vitest marks the tests of a block whose beforeAll threw (or of a file that did not load) as skipped.
  for (let at: TestCase["parent"] | undefined = test.parent; at; at = at.type === "module" ? undefined : at.parent) {
    if (at.errors().length > 0) return "their file or describe block failed before they ran (see the errors above)";
  }
  return undefined;
}

/** The line for the reasons of the skipped tests, one entry a test; none when nothing was skipped. */
export function skipSummary(reasons: Array<string | undefined>): string | undefined {
  if (reasons.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason ?? NO_REASON, (counts.get(reason ?? NO_REASON) ?? 0) + 1);
  const groups = [...counts].sort(([, a], [, b]) => b - a).map(([reason, count]) => `${count}: ${reason}`);
  return `Skipped: ${reasons.length} ${reasons.length === 1 ? "test" : "tests"} — ${groups.join("; ")}`;
}

export default class SkipSummary implements Reporter {
  #vitest?: Vitest;

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skipped = modules.flatMap((module) => [...module.children.allTests("skipped")]);
    const line = skipSummary(skipped.map(reasonOf));
    if (line) this.#vitest?.logger.log(line);
  }
}
