/**
 * Patterns sent to the linear-time engine, in the validators the build
 * writes: which module they import, what they answer, what they cost in the
 * bundle. The inputs would take days on a backtracking engine: a test that
 * ends at all shows the engine is RE2.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { withPatternInputBound } from "../../runtime/formats/reg-exp.ts";
import { re2Syntax } from "./re2-syntax.ts";
import { createValidatorSet } from "./validators.ts";

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ keyword: string; instancePath: string }> | null };

const root = fileURLToPath(new URL("../../..", import.meta.url).href);
mkdirSync(join(root, "test/.generated"), { recursive: true });
const outDir = mkdtempSync(join(root, "test/.generated/linear-patterns-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const runtimeImport = relative(outDir, join(root, "src/runtime/formats/index.ts")).replaceAll("\\", "/");

const EVIL = "^(a+)+$";
const schema = {
  type: "object",
  properties: { word: { type: "string", pattern: EVIL }, tag: { type: "string", pattern: "^[a-z]+$" } },
  patternProperties: { "^(x|x)+-": { type: "integer" } },
};

function codeOf(linear: Map<string, string>): string {
  const set = createValidatorSet(undefined, { linear });
  set.forSchema(schema);
  return set.code({ runtimeImport });
}

const flagged = new Map([EVIL, "^(x|x)+-"].map((pattern) => [pattern, re2Syntax(pattern, "u")]));
let written = 0;
async function load(code: string): Promise<Validator> {
  const file = join(outDir, `module${written++}.mjs`);
  writeFileSync(file, code);
  return ((await import(pathToFileURL(file).href)) as Record<string, Validator>).v0;
}

describe("validators with patterns on the linear-time engine", () => {
  it("import the engine only when a pattern of theirs runs on it, and make those patterns with it", () => {
    const plain = codeOf(new Map());
    expect(plain).not.toMatch(/linear-reg-exp|porticoLinearRegExp/);
    const code = codeOf(flagged);
    expect(code).toContain(`import { linearRegExp as porticoLinearRegExp } from ${JSON.stringify(runtimeImport.replace("index.ts", "linear-reg-exp.ts"))};`);
    expect(code).toContain('porticoLinearRegExp("^(?:a+)+$")');
    expect(code).toContain('porticoLinearRegExp("^(?:x|x)+\\\\x{2d}")');
    // The safe pattern keeps the backtracking engine, behind the length bound.
    expect(code).toMatch(/func\d+\("\^\[a-z\]\+\$", "u"\)/);
  });

  it("answer the worst input of a nested repetition at once, and agree with the pattern's meaning", async () => {
    const validate = await load(codeOf(flagged));
    expect(validate({ word: `${"a".repeat(60)}!` })).toBe(false);
    expect(validate.errors?.map((error) => [error.instancePath, error.keyword])).toEqual([["/word", "pattern"]]);
    expect(validate({ word: "a".repeat(60), tag: "ok" })).toBe(true);
    expect(validate({ [`${"x".repeat(60)}-`]: 1 })).toBe(true);
    expect(validate({ [`${"x".repeat(60)}-`]: "one" })).toBe(false);
    expect(validate({ [`${"x".repeat(60)}`]: "one" })).toBe(true);
  });

  it("refuse a string over the bound in force before any pattern sees it, on either engine", async () => {
    const validate = await load(codeOf(flagged));
    expect(() => withPatternInputBound(8, () => validate({ word: "a".repeat(9) }))).toThrow(/9 characters/);
    expect(() => withPatternInputBound(8, () => validate({ tag: "a".repeat(9) }))).toThrow(/9 characters/);
    expect(() => withPatternInputBound(8, () => validate({ [`${"x".repeat(9)}-`]: 1 }))).toThrow(/10 characters/);
    expect(withPatternInputBound(8, () => validate({ word: "a".repeat(8), note: "n".repeat(100) }))).toBe(true);
    // No bound outside a validation step (the build checks the document's own examples).
    expect(validate({ word: "a".repeat(100_000) })).toBe(true);
  });

  it("bundle the engine only where it is used", async () => {
    const sizes: number[] = [];
    for (const code of [codeOf(new Map()), codeOf(flagged)]) {
      const entry = join(outDir, `bundle${written++}.mjs`);
      writeFileSync(entry, code);
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        minify: true,
        format: "esm",
        platform: "neutral",
        write: false,
        metafile: true,
        logLevel: "silent",
      });
      const inputs = Object.keys(result.metafile.inputs);
      sizes.push(result.outputFiles[0].contents.byteLength);
      expect(inputs.some((input) => input.includes("node_modules/re2js/"))).toBe(sizes.length === 2);
      // re2js has methods named eval (its prefilter's); none is the global that workerd forbids.
      const calls = result.outputFiles[0].text.replace(/\.eval\(|\beval\([\w,]*\)\{/g, "");
      expect(calls).not.toMatch(/\beval\(|new Function/);
    }
    // What a document with a flagged pattern pays for the engine, minified: about 150 kB (46 kB gzipped).
    expect(sizes[1] - sizes[0]).toBeLessThan(200_000);
  });
});
