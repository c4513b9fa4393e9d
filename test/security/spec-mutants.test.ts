/**
 * Mutated documents through the compiler (`compile({ check: true })`). Seed documents: the
 * example, two of test/fixtures/specs (3.0 and 3.1) and two test gateways; each mutant is one
 * operator of mutants/ on one target, seeded. Properties: compile never throws; it never hangs
 * (a 20 s race, which only a real hang loses); every finding is a located BuildError; each
 * mutant gets its operator's verdict, located where the operator says. An operator's `gap`
 * says what the compiler does instead today: those mutants pass while it stays so, and fail
 * once it is fixed, so that the gap goes. Prints one line per operator (on failure, or with
 * --silent=false).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { compile, type CompileResult } from "../../src/compiler/compile.ts";
import { BuildError } from "../../src/compiler/errors.ts";
import type { Json, Operator, Verdict } from "./mutants/document.ts";
import { OPENAPI_OPERATORS } from "./mutants/openapi-operators.ts";
import { PORTICO_OPERATORS } from "./mutants/portico-operators.ts";

const FULL = process.env.PORTICO_SECURITY_PROFILE === "full";
const MUTANTS = FULL ? 1000 : 100;
/** The short profile replays one seed; the full one draws a new seed each run. */
const SEED = FULL ? Date.now() % 2 ** 31 : 20_251_117;
const HANG_MS = 20_000;
const ENTRY = "openapi/openapi.yaml";
const OPERATORS = [...OPENAPI_OPERATORS, ...PORTICO_OPERATORS];

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url).href);
interface Seed {
  name: string;
  root: string;
  entry: string;
  defaultHandler?: string;
}
const SEEDS: Seed[] = [
  { name: "example", root: join(fixtures, "example"), entry: ENTRY },
  { name: "petstore (3.0)", root: join(fixtures, "specs"), entry: "oai-examples/petstore.yaml", defaultHandler: "mock" },
  { name: "museum (3.1)", root: join(fixtures, "specs"), entry: "redocly-museum/openapi.yaml", defaultHandler: "mock" },
  { name: "forward", root: join(fixtures, "gateways/forward"), entry: ENTRY },
  { name: "validation", root: join(fixtures, "gateways/validation"), entry: ENTRY },
];

/** `findings` are the errors, else the new warnings; `unlocated` counts every error and warning without a place. */
type Outcome = { verdict: Verdict | "crash" | "hang"; findings: BuildError[]; unlocated: number; ms: number; crash?: string };

const work = mkdtempSync(join(tmpdir(), "portico-mutants-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let projects = 0;

/** A copy of the seed's project with this text as its entry document. */
function project(seed: Seed, text: string): string {
  const dir = join(work, String(++projects));
  for (const folder of ["openapi", "policies"].filter((name) => existsSync(join(seed.root, name))))
    cpSync(join(seed.root, folder), join(dir, folder), { recursive: true });
  mkdirSync(join(dir, "openapi"), { recursive: true });
  writeFileSync(join(dir, ENTRY), text);
  return dir;
}

/** A finding names its file, a pointer and, where it points into the document, a line. */
const located = (finding: BuildError) =>
  finding instanceof BuildError && finding.location.file !== "" && (finding.location.pointer === "" || (finding.location.line ?? 0) > 0);

const key = (finding: BuildError) => `${finding.location.pointer}\n${finding.message}`;

/** Builds the document; findings are the errors, else the warnings the seed itself does not have. */
async function build(seed: Seed, text: string, baseline: Set<string>): Promise<Outcome> {
  const root = project(seed, text);
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<"hang">((resolve) => (timer = setTimeout(() => resolve("hang"), HANG_MS)));
  try {
    const result: CompileResult | "hang" = await Promise.race([compile({ root, check: true, defaultHandler: seed.defaultHandler }), hang]);
    const ms = performance.now() - started;
    if (result === "hang") return { verdict: "hang", findings: [], unlocated: 0, ms };
    const warnings = result.warnings.filter((w) => !baseline.has(key(w)));
    const verdict = result.errors.length > 0 ? "refused" : warnings.length > 0 ? "warned" : "accepted";
    const unlocated = [...result.errors, ...result.warnings].filter((finding) => !located(finding)).length;
    return { verdict, findings: verdict === "refused" ? result.errors : warnings, unlocated, ms };
  } catch (error) {
    return { verdict: "crash", findings: [], unlocated: 0, ms: performance.now() - started, crash: String(error) };
  } finally {
    clearTimeout(timer);
    rmSync(root, { recursive: true, force: true });
  }
}

/** The operator applied to the first seed, from `first` on, that has a place for it. */
function mutate(operator: Operator, documents: string[], first: number, target: number) {
  const picks = fc.sample(fc.nat(), { seed: target, numRuns: 8 });
  for (let k = 0; k < SEEDS.length; k++) {
    const seed = (first + k) % SEEDS.length;
    const doc: Json = parse(documents[seed]);
    let next = 0;
    const at = operator.apply(doc, (n) => picks[next++ % picks.length] % n);
    if (at === undefined) continue;
    const text = stringify(doc);
    return { seed, at, text: operator.rewrite ? operator.rewrite(text) : text };
  }
  return undefined;
}

it(
  `${MUTANTS} mutated documents: no crash, no hang, every finding located, every verdict the operator's`,
  async () => {
    const documents = SEEDS.map((seed) => readFileSync(join(seed.root, seed.entry), "utf8"));
    const baselines = await Promise.all(SEEDS.map(async (seed, i) => new Set((await build(seed, documents[i], new Set())).findings.map(key))));
    const tally = new Map(OPERATORS.map((op) => [op.name, { tried: 0, expected: 0, gap: 0, slowestMs: 0 }]));
    const wrong: string[] = [];
    // Every operator in turn, each on a seed document and a target drawn at random.
    const draws = fc.sample(fc.tuple(fc.nat(SEEDS.length - 1), fc.nat()), { seed: SEED, numRuns: MUTANTS });
    for (const [i, [first, target]] of draws.entries()) {
      const operator = OPERATORS[(i + SEED) % OPERATORS.length];
      const mutant = mutate(operator, documents, first, target);
      if (!mutant) continue;
      const seed = SEEDS[mutant.seed];
      const outcome = await build(seed, mutant.text, baselines[mutant.seed]);
      const counts = tally.get(operator.name)!;
      counts.tried++;
      counts.slowestMs = Math.max(counts.slowestMs, Math.round(outcome.ms));
      const places = mutant.at.split("|");
      const there = (finding: BuildError) => finding.location.file === ENTRY && places.includes(finding.location.pointer);
      const asExpected = outcome.verdict === operator.verdict && outcome.unlocated === 0 && (operator.verdict === "accepted" || outcome.findings.some(there));
      const named = `${operator.name} on ${seed.name} (target ${target})`;
      if (asExpected) counts.expected++;
      if (asExpected && operator.gap) wrong.push(`${named} is now as expected: drop its gap`);
      else if (!asExpected && operator.gap?.startsWith(outcome.verdict)) counts.gap++;
      else if (!asExpected) {
        const found = outcome.crash ?? outcome.findings.map((f) => `${f.severity} ${f.where}: ${f.message}`).join("; ");
        wrong.push(`${named}: expected ${operator.verdict} at ${mutant.at}, got ${outcome.verdict}: ${found || "no finding"}`);
      }
    }
    const rows = [...tally].map(
      ([name, c]) =>
        `${name.padEnd(52)} ${String(c.tried).padStart(4)} tried ${String(c.expected).padStart(4)} as expected${c.gap ? `, ${c.gap} known gap` : ""} (slowest ${c.slowestMs} ms)`,
    );
    console.log(`Spec mutants (seed ${SEED}):\n${rows.join("\n")}`);
    expect(wrong, `seed ${SEED}`).toEqual([]);
  },
  FULL ? 1_800_000 : 120_000,
);
