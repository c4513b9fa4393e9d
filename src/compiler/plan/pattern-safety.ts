/**
 * @module
 * The document's patterns a client could make slow. Each one the analyser
 * flags is a warning at its place (an error with --strict) and runs on the
 * linear-time engine instead, so the gateway stays safe while the document is
 * fixed. A flagged pattern RE2 cannot express (lookaround, backreferences)
 * fails the build: no engine would run it both safely and as written.
 */
import { RE2JS } from "re2js";
import { BuildError } from "../errors.ts";
import type { SourceSet } from "../spec/sources.ts";
import { documentPatterns } from "../validators/document-patterns.ts";
import { flagsOf, judgePatterns, type Verdict } from "../validators/pattern-analysis.ts";
import { re2Syntax } from "../validators/re2-syntax.ts";

export interface PatternSafety {
  /** RE2's spelling of each pattern that runs on the linear-time engine, by the pattern as written. */
  linear: Map<string, string>;
  errors: BuildError[];
  warnings: BuildError[];
}

const HINT =
  "Rewrite it so that each character can be matched one way only: no repetition of a repetition (^(a+)+$ is ^a+$), no alternatives that overlap under a repetition ((a|b|ab)* is [ab]*), no two repetitions side by side that take the same characters (^\\w+\\d+$ is ^\\w+\\d$). See docs/validation.md#patterns.";

/** RE2's spelling of the pattern, or why it has none. */
function linearSpelling(pattern: string): { source: string } | { reason: string } {
  try {
    const source = re2Syntax(pattern, flagsOf(pattern) ?? "u");
    RE2JS.compile(source);
    return { source };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}

function describe(verdict: Exclude<Verdict, { status: "safe" }>): string {
  if (verdict.status === "unknown") return `This pattern could not be shown to run in linear time (${verdict.reason})`;
  const attack = verdict.attack ? ` on a string such as ${verdict.attack}` : "";
  return `This pattern can take ${verdict.complexity} time${attack}: one request could hold the gateway for seconds`;
}

export async function checkPatterns(input: {
  document: Record<string, any>;
  sources: SourceSet;
  strict?: boolean;
  cacheFile?: string;
  writeCache?: boolean;
}): Promise<PatternSafety> {
  const sites = documentPatterns(input.document);
  const verdicts = await judgePatterns(
    sites.map((site) => site.pattern),
    input,
  );
  const result: PatternSafety = { linear: new Map(), errors: [], warnings: [] };
  const spellings = new Map<string, ReturnType<typeof linearSpelling>>();
  for (const { pattern, pointer } of sites) {
    const verdict = verdicts.get(pattern);
    if (!verdict || verdict.status === "safe") continue;
    let spelling = spellings.get(pattern);
    if (!spelling) spellings.set(pattern, (spelling = linearSpelling(pattern)));
    const at = input.sources.locate(pointer);
    if ("source" in spelling) {
      result.linear.set(pattern, spelling.source);
      const strict = verdict.status === "vulnerable" && input.strict;
      (strict ? result.errors : result.warnings).push(
        new BuildError(at, `${describe(verdict)}. It runs on a linear-time engine (RE2) instead.`, HINT, strict ? "error" : "warning"),
      );
    } else if (verdict.status === "vulnerable") {
      result.errors.push(new BuildError(at, `${describe(verdict)}, and the linear-time engine cannot run it: ${spelling.reason}`, HINT));
    } else {
      result.warnings.push(
        new BuildError(at, `${describe(verdict)}, and the linear-time engine cannot run it (${spelling.reason}): it runs as written.`, HINT, "warning"),
      );
    }
  }
  return result;
}
