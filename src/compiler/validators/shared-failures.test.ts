/**
 * The generated module's failures, written as calls with shared descriptions,
 * are the very errors Ajv's own code gives: compared value by value with the
 * build-time check (Ajv's code as it compiled it, unchanged).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createValidatorSet } from "./validators.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url).href);
mkdirSync(join(root, "test/.generated"), { recursive: true });
const outDir = mkdtempSync(join(root, "test/.generated/shared-failures-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const runtimeImport = relative(outDir, join(root, "src/runtime/formats/index.ts")).replaceAll("\\", "/");

const schema = {
  type: "object",
  required: ["name", "a,message:b"],
  additionalProperties: false,
  properties: {
    name: { type: "string", maxLength: 5, pattern: "^[a-z]+$" },
    // A property whose name looks like the code around it: its failures must stay whole.
    "a,message:b": { type: "integer", minimum: 1 },
    kind: { enum: ["painting", "sculpture"] },
    tags: { type: "array", items: { type: "string" }, maxItems: 2, uniqueItems: true },
    size: { type: "object", properties: { w: { type: "number" }, h: { type: "number" } }, required: ["w"] },
  },
};
const document = {
  openapi: "3.1.0",
  info: { title: "Museum", version: "1" },
  paths: { "/a": { post: { requestBody: { content: { "application/json": { schema } } }, responses: { "204": { description: "done" } } } } },
};
const pointer = "/paths/~1a/post/requestBody/content/application~1json/schema";

const invalid = [
  {},
  { name: 7, "a,message:b": "x" },
  { name: "TooLongName", "a,message:b": 0, extra: true },
  { name: "ok", "a,message:b": 2, kind: "print", tags: ["x", "x", 3] },
  { name: "ok", "a,message:b": 2, size: { h: "tall" } },
  { name: "ok", "a,message:b": 2, tags: [1, 2, 3, 4] },
];

describe("failures written as calls with shared descriptions", () => {
  it("give the errors Ajv's own code gives, and the module says each common failure once", async () => {
    const set = createValidatorSet(document);
    const name = set.forPointer(pointer);
    const check = set.check(pointer);
    const code = set.code({ runtimeImport });
    const file = join(outDir, "validators.mjs");
    writeFileSync(file, code);
    const module: Record<string, ((value: unknown) => boolean) & { errors?: unknown[] | null }> = await import(pathToFileURL(file).href);
    for (const value of invalid) {
      expect(module[name](value), JSON.stringify(value)).toBe(false);
      expect(module[name].errors, JSON.stringify(value)).toEqual(check(value));
    }
    expect(module[name]({ name: "ok", "a,message:b": 3, kind: "painting", tags: ["x"], size: { w: 1 } })).toBe(true);
    expect(code.match(/"must be string"/g)).toHaveLength(1);
  });
});
