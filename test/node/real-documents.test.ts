/**
 * Real OpenAPI documents nobody here wrote, compiled as `portico check
 * --default-handler mock` would: the few copied into test/fixtures/specs on
 * any clone, and every document of ../shared/fixtures when that folder is there.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/compile.ts";
import {
  hasSharedFixtures,
  manifestDocuments,
  SHARED_FAILURES,
  sharedFixtures,
  sharedFixturesMissing,
  withSharedFixtures,
} from "../support/shared-fixtures.ts";

const here = fileURLToPath(new URL(".", import.meta.url).href);
const copied = join(here, "../fixtures/specs");

async function check(spec: string) {
  return compile({ root: here, spec, check: true, defaultHandler: "mock" });
}

describe("documents in test/fixtures/specs", () => {
  const expected: Record<string, { operations: number; error?: { pointer: string; message: string } }> = JSON.parse(
    readFileSync(join(copied, "expected.json"), "utf8"),
  );
  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: ${want.error ? `fails at ${want.error.pointer}` : `${want.operations} operations`}`, async () => {
      const result = await check(join(copied, file));
      if (want.error) {
        expect(result.errors.map((e) => [e.location.pointer, e.message])).toEqual([[want.error.pointer, want.error.message]]);
        expect(result.errors[0].location.file).toMatch(file.split("/").pop()!);
      } else {
        expect(result.errors.map((e) => e.format())).toEqual([]);
        expect(result.operations).toBe(want.operations);
      }
    });
  }
});

/**
 * Invalid by the work-in-progress 3.1 schema only (allowReserved outside query
 * parameters, example beside examples, an empty server enum): Redocly's struct
 * rule accepts them, and nothing Portico compiles reads those fields.
 */
const SHARED_ACCEPTED_THOUGH_INVALID = new Set([
  "openapi/oas-3.1-schema-tests/fail/example-examples.yaml",
  "openapi/oas-3.1-schema-tests/fail/header-object-allowReserved.yaml",
  "openapi/oas-3.1-schema-tests/fail/parameter-object-header-allowReserved.yaml",
  "openapi/oas-3.1-schema-tests/fail/parameter-object-path-allowReserved.yaml",
  "openapi/oas-3.1-schema-tests/fail/server_enum_empty.yaml",
]);

function sharedDocuments(): Array<{ file: string; operations?: number }> {
  const schemaTests = ["pass", "fail"].flatMap((kind) =>
    readdirSync(join(sharedFixtures, "openapi/oas-3.1-schema-tests", kind)).map((name) => ({ file: `openapi/oas-3.1-schema-tests/${kind}/${name}` })),
  );
  return [...manifestDocuments(), ...schemaTests];
}

const sharedTitle = hasSharedFixtures ? "every document in ../shared/fixtures" : `every document in ../shared/fixtures: ${sharedFixturesMissing}`;

describe(sharedTitle, withSharedFixtures, () => {
  if (!hasSharedFixtures) it("documents of ../shared/fixtures", () => {});
  for (const doc of hasSharedFixtures ? sharedDocuments() : []) {
    const failure = SHARED_FAILURES[doc.file];
    const title = failure ? `${doc.file} fails at ${failure.pointer || "(root)"}: ${failure.why}` : `${doc.file} compiles`;
    it(title, { timeout: 60_000 }, async () => {
      const result = await check(join(sharedFixtures, doc.file));
      if (failure) {
        expect(result.errors.length).toBeGreaterThan(0);
        expect(result.errors[0].location.pointer).toBe(failure.pointer);
        expect(result.errors[0].location.line).toBeGreaterThan(0);
        return;
      }
      expect(result.errors.map((e) => e.format())).toEqual([]);
      // Every operation of the document is routed, or the build warns that no request can reach it (Box's `#fragment` twins).
      const unreachable = result.warnings.filter((w) => w.message.includes("never reached")).length;
      if (doc.operations !== undefined) expect(result.operations + unreachable).toBe(doc.operations);
      if (doc.file.includes("/fail/")) expect(SHARED_ACCEPTED_THOUGH_INVALID.has(doc.file)).toBe(true);
    });
  }
});
