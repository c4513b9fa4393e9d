/**
 * @module
 * Whether a pattern can take more than linear time on a string a client
 * chooses (ReDoS), judged by recheck: automata theory where the pattern is
 * small enough to decide exactly, fuzzing where it is not (large counts,
 * lookaround, backreferences). recheck runs its native binary where its
 * package installed one, else its pure-JavaScript build.
 *
 * Verdicts are kept by pattern for the life of the process (the dev server
 * rebuilds in one) and, between builds, in a small file beside the generated
 * app: a large document's patterns take seconds to judge the first time.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import type { Diagnostics } from "recheck";

const require = createRequire(import.meta.url);

export type Verdict =
  | { status: "safe" }
  | { status: "vulnerable"; complexity: string; attack?: string }
  /** Undecided in time (kept, as a verdict is), or the analyser failed (`failed`: asked again next build). */
  | { status: "unknown"; reason: string; failed?: true };

/**
 * Fuzzing is bounded by steps, never by the clock, so a pattern gets the same
 * verdict on any machine however loaded; the clock bounds only the whole check.
 */
const PARAMETERS = { attackTimeout: null, incubationTimeout: null, seedingTimeout: null, timeout: 10_000 } as const;
/** Patterns judged at once: recheck's binary serves several, and the build has other work. */
const CONCURRENCY = 2;

const ANALYSER = `recheck ${(require("recheck/package.json") as { version: string }).version} ${JSON.stringify(PARAMETERS)}`;
const known = new Map<string, Verdict>();

/** The flags the validators read a pattern with (src/runtime/formats/reg-exp.ts); undefined for one that is no pattern at all. */
export function flagsOf(pattern: string): string | undefined {
  for (const flags of ["u", ""]) {
    try {
      new RegExp(pattern, flags);
      return flags;
    } catch {
      // The next reading, or none.
    }
  }
  return undefined;
}

function verdictOf(diagnostics: Diagnostics): Verdict {
  if (diagnostics.status === "safe") return { status: "safe" };
  if (diagnostics.status === "unknown") {
    const { kind } = diagnostics.error;
    return {
      status: "unknown",
      reason:
        kind === "timeout"
          ? `not decided within ${PARAMETERS.timeout / 1000} s`
          : `${kind}: ${"message" in diagnostics.error ? diagnostics.error.message : ""}`,
    };
  }
  return { status: "vulnerable", complexity: diagnostics.complexity.summary, attack: diagnostics.attack.pattern };
}

async function judge(pattern: string, flags: string): Promise<Verdict> {
  try {
    const { check } = require("recheck") as typeof import("recheck");
    return verdictOf(await check(pattern, flags, PARAMETERS));
  } catch (error) {
    return { status: "unknown", reason: `the analyser failed: ${(error as Error).message}`, failed: true };
  }
}

function readCache(file: string | undefined): Record<string, Verdict> {
  if (!file || !existsSync(file)) return {};
  try {
    const cache = JSON.parse(readFileSync(file, "utf8"));
    return cache?.analyser === ANALYSER && cache.verdicts && typeof cache.verdicts === "object" ? cache.verdicts : {};
  } catch {
    return {};
  }
}

/**
 * A verdict for each pattern that parses (the others fail where the schema is
 * compiled). `cacheFile`: read first, and rewritten with this document's
 * verdicts when `writeCache` (a check-only build writes nothing). A pattern
 * undecided in time is kept so too: it would cost the same time every build.
 */
export async function judgePatterns(patterns: Iterable<string>, options: { cacheFile?: string; writeCache?: boolean } = {}): Promise<Map<string, Verdict>> {
  const stored = readCache(options.cacheFile);
  const verdicts = new Map<string, Verdict>();
  const pending: Array<[string, string]> = [];
  for (const pattern of new Set(patterns)) {
    const flags = flagsOf(pattern);
    if (flags === undefined) continue;
    const key = `${flags}/${pattern}`;
    const verdict = known.get(key) ?? stored[key];
    if (verdict) verdicts.set(pattern, verdict);
    else pending.push([pattern, flags]);
  }
  const lanes = Array.from({ length: CONCURRENCY }, async () => {
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [pattern, flags] = next;
      const verdict = await judge(pattern, flags);
      if (!("failed" in verdict)) known.set(`${flags}/${pattern}`, verdict);
      verdicts.set(pattern, verdict);
    }
  });
  await Promise.all(lanes);
  if (options.cacheFile && options.writeCache) {
    const decided = [...verdicts]
      .filter(([, verdict]) => !("failed" in verdict))
      .map(([pattern, verdict]): [string, Verdict] => [`${flagsOf(pattern)}/${pattern}`, verdict]);
    const text = `${JSON.stringify({ analyser: ANALYSER, verdicts: Object.fromEntries(decided.sort(([a], [b]) => (a < b ? -1 : 1))) })}\n`;
    if (!existsSync(options.cacheFile) || readFileSync(options.cacheFile, "utf8") !== text) {
      mkdirSync(dirname(options.cacheFile), { recursive: true });
      writeFileSync(options.cacheFile, text);
    }
  }
  return verdicts;
}
