/**
 * The CPU a hostile JSON body costs the gateway: the V5 corpus (malformed
 * JSON, deep nesting, duplicate keys, lone surrogates, overflowing numbers)
 * and two large bodies just under the 1 MiB default limit, each through the
 * JSON guard and a validator the build generates. Measured here in Node with
 * process.threadCpuUsage(), the CPU of this thread alone (process.cpuUsage()
 * also counts the test files running beside it): inside workerd the clock
 * stands still between I/O.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createValidatorSet } from "../../src/compiler/validators/validators.ts";
import { parseJson } from "../../src/runtime/validation/json-guard.ts";

/**
 * CPU one body may cost, parse and check together: far above what it takes
 * (the 1 MiB bodies take about 60–200 ms on a loaded two-core machine), far
 * below a pathological case (seconds); the figure itself belongs to the bench.
 */
const BUDGET_MS = 1000;
/** Measured runs per input, after one unmeasured run that warms the JIT up. */
const RUNS = 5;

const root = fileURLToPath(new URL("../..", import.meta.url).href);

const PERSON = {
  type: "object",
  additionalProperties: false,
  required: ["name", "age"],
  properties: { name: { type: "string", minLength: 1 }, age: { type: "integer", minimum: 0 } },
};
const MANY_KEYS = { type: "object", additionalProperties: { type: "integer" } };
const MANY_ITEMS = { type: "array", items: { type: "object", required: ["id"], properties: { id: { type: "integer" } } } };

const manyKeys = `{${Array.from({ length: 120_000 }, (_, i) => `"${i.toString(36)}":${i % 10}`).join(",")}}`;
const manyItems = `[${Array.from({ length: 100_000 }, (_, i) => `{"id":${i % 1000}}`).join(",")}]`;

const CORPUS: Array<{ name: string; body: string; schema: object; accepted: boolean }> = [
  { name: "malformed: unclosed", body: "{", schema: PERSON, accepted: false },
  { name: "malformed: trailing comma", body: '{"name": "a", "age": 1,}', schema: PERSON, accepted: false },
  { name: "10,000-deep nesting", body: "[".repeat(10_000) + "]".repeat(10_000), schema: PERSON, accepted: false },
  { name: "duplicate key", body: '{"name":"a","age":1,"name":"b"}', schema: PERSON, accepted: false },
  { name: "lone surrogate", body: '{"name":"\\ud800","age":1}', schema: PERSON, accepted: false },
  { name: "1e400", body: '{"name":"a","age":1e400}', schema: PERSON, accepted: false },
  { name: "NUL", body: "\u0000", schema: PERSON, accepted: false },
  { name: "empty", body: "", schema: PERSON, accepted: false },
  { name: `object, 120,000 keys (${(manyKeys.length / 1024).toFixed(0)} KiB)`, body: manyKeys, schema: MANY_KEYS, accepted: true },
  { name: `array, 100,000 objects (${(manyItems.length / 1024).toFixed(0)} KiB)`, body: manyItems, schema: MANY_ITEMS, accepted: true },
];

type Validator = (data: unknown) => boolean;
let validators: Validator[] = [];
let workDir: string;

function cpuMs(work: () => void): number {
  const start = process.threadCpuUsage();
  work();
  const used = process.threadCpuUsage(start);
  return (used.user + used.system) / 1000;
}

beforeAll(async () => {
  const set = createValidatorSet();
  const names = CORPUS.map((entry) => set.forSchema(entry.schema));
  const outDir = join(root, "test/.generated");
  mkdirSync(outDir, { recursive: true });
  workDir = mkdtempSync(join(outDir, "v5-cpu-"));
  const module = join(workDir, "validators.mjs");
  writeFileSync(module, set.code({ runtimeImport: relative(workDir, join(root, "src/runtime/formats/index.ts")).replaceAll("\\", "/") }));
  const exports = (await import(pathToFileURL(module).href)) as Record<string, Validator>;
  validators = names.map((name) => exports[name]);
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("V5: CPU per hostile or large JSON body, parse and validation", () => {
  it(`stays under ${BUDGET_MS} ms of CPU for each input (the worst of ${RUNS} warm runs)`, () => {
    const rows: Array<{ name: string; parse: number; validate: number }> = [];
    CORPUS.forEach((entry, i) => {
      let parse = 0;
      let check = 0;
      for (let run = 0; run <= RUNS; run++) {
        let parsed: ReturnType<typeof parseJson> = { error: "" };
        const parseMs = cpuMs(() => void (parsed = parseJson(entry.body)));
        if (run > 0) parse = Math.max(parse, parseMs);
        expect("value" in parsed, entry.name).toBe(entry.accepted);
        if ("value" in parsed) {
          const value = parsed.value;
          let valid = false;
          const checkMs = cpuMs(() => void (valid = validators[i](value)));
          if (run > 0) check = Math.max(check, checkMs);
          expect(valid, entry.name).toBe(true);
        }
      }
      rows.push({ name: entry.name, parse, validate: check });
    });
    console.log(
      [
        "input                                      parse ms  validate ms",
        ...rows.map((r) => `${r.name.padEnd(42)} ${r.parse.toFixed(1).padStart(8)}  ${r.validate.toFixed(1).padStart(11)}`),
      ].join("\n"),
    );
    for (const row of rows) expect(row.parse + row.validate, row.name).toBeLessThan(BUDGET_MS);
  });
});
