/**
 * The JSON Schema Test Suite (draft 2020-12) through the validators the build
 * generates: each file's schemas compiled into one module by
 * createValidatorSet, the module written to disk and imported, every test's
 * data run through it. Known failures are listed with the reason; any other
 * failure fails this test, and a listed case that starts passing is reported.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createValidatorSet } from "../../src/compiler/validators/validators.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const suite = join(root, "test/fixtures/json-schema-test-suite");
const tests = join(suite, "tests/draft2020-12");

type Category = "required" | "optional" | "format";

/** How many tests of each category pass at least: raise them when more pass. */
const FLOORS: Record<Category, number> = { required: 1228, optional: 156, format: 764 };

/** Why cases fail, by kind. */
const WHY = {
  dyn: "Ajv does not resolve $dynamicRef through the dynamic scope across schema resources",
  dynHash: 'Ajv supports $dynamicRef to a "#..." fragment of the same resource only',
  dynLoop: "Ajv loops (stack overflow) on this $dynamicRef",
  format: "formats are asserted (OpenAPI users expect format: email to be checked); 2020-12 makes them annotations by default",
  proto: "Ajv skips a property named __proto__ in properties (its guard against prototype pollution)",
  refIds: "Ajv overflows its stack resolving $refs relative to nested $ids inside $defs",
  urn: "Ajv overflows its stack resolving a URN $ref with a nested pointer",
  unevalNested: "Ajv does not see items evaluated by a nested items for unevaluatedItems",
  unevalDyn: "Ajv loops (stack overflow) on unevaluated* through a $dynamicRef",
  unevalContains: "Ajv does not count items evaluated by contains for unevaluatedItems",
  unevalIf: "Ajv does not see annotations of an if without then/else",
  vocab: "Ajv ignores $vocabulary: validation keywords apply whatever the metaschema says",
  cross: "Ajv2020 reads a 2019-09 schema with 2020-12 keywords (its prefixItems applies)",
  float: "multipleOf 0.5 of 1e308: Ajv divides and overflows to Infinity",
  unknownKw: "Ajv takes an $id inside an unknown keyword for a real one, and then finds it twice",
};

/** Cases that fail, by "file > group > test", and why. */
const KNOWN_FAILURES: Record<string, string> = {
  "dynamicRef.json > A $dynamicRef to a $dynamicAnchor in the same schema resource behaves like a normal $ref to an $anchor > An array of strings is valid":
    WHY.dyn,
  "dynamicRef.json > A $dynamicRef to an $anchor in the same schema resource behaves like a normal $ref to an $anchor > An array of strings is valid": WHY.dyn,
  "dynamicRef.json > A $dynamicRef resolves to the first $dynamicAnchor still in scope that is encountered when the schema is evaluated > An array of strings is valid":
    WHY.dyn,
  "dynamicRef.json > A $dynamicRef without anchor in fragment behaves identical to $ref > An array of numbers is valid": WHY.dyn,
  "dynamicRef.json > A $dynamicRef with intermediate scopes that don't include a matching $dynamicAnchor does not affect dynamic scope resolution > An array of strings is valid":
    WHY.dyn,
  "dynamicRef.json > An $anchor with the same name as a $dynamicAnchor is not used for dynamic scope resolution > Any array is valid": WHY.dyn,
  "dynamicRef.json > A $dynamicRef without a matching $dynamicAnchor in the same schema resource behaves like a normal $ref to $anchor > Any array is valid":
    WHY.dyn,
  "dynamicRef.json > A $dynamicRef with a non-matching $dynamicAnchor in the same schema resource behaves like a normal $ref to $anchor > Any array is valid":
    WHY.dyn,
  "dynamicRef.json > A $dynamicRef that initially resolves to a schema with a matching $dynamicAnchor resolves to the first $dynamicAnchor in the dynamic scope > The recursive part is valid against the root":
    WHY.dynHash,
  "dynamicRef.json > A $dynamicRef that initially resolves to a schema with a matching $dynamicAnchor resolves to the first $dynamicAnchor in the dynamic scope > The recursive part is not valid against the root":
    WHY.dynHash,
  "dynamicRef.json > A $dynamicRef that initially resolves to a schema without a matching $dynamicAnchor behaves like a normal $ref to $anchor > The recursive part doesn't need to validate against the root":
    WHY.dynHash,
  "dynamicRef.json > multiple dynamic paths to the $dynamicRef keyword > number list with string values": WHY.dyn,
  "dynamicRef.json > multiple dynamic paths to the $dynamicRef keyword > string list with number values": WHY.dyn,
  "dynamicRef.json > after leaving a dynamic scope, it is not used by a $dynamicRef > string matches /$defs/thingy, but the $dynamicRef does not stop here":
    WHY.dynHash,
  "dynamicRef.json > after leaving a dynamic scope, it is not used by a $dynamicRef > first_scope is not in dynamic scope for the $dynamicRef": WHY.dynHash,
  "dynamicRef.json > after leaving a dynamic scope, it is not used by a $dynamicRef > /then/$defs/thingy is the final stop for the $dynamicRef": WHY.dynHash,
  "dynamicRef.json > tests for implementation dynamic anchor and reference link > correct extended schema": WHY.dyn,
  "dynamicRef.json > $ref and $dynamicAnchor are independent of order - $defs first > correct extended schema": WHY.dyn,
  "dynamicRef.json > $ref and $dynamicAnchor are independent of order - $ref first > correct extended schema": WHY.dyn,
  "dynamicRef.json > $ref to $dynamicRef finds detached $dynamicAnchor > number is valid": WHY.dynLoop,
  "dynamicRef.json > $ref to $dynamicRef finds detached $dynamicAnchor > non-number is invalid": WHY.dynLoop,
  "dynamicRef.json > $dynamicRef points to a boolean schema > follow $dynamicRef to a false schema": WHY.dyn,
  "dynamicRef.json > $dynamicRef skips over intermediate resources - direct reference > integer property passes": WHY.dyn,
  "dynamicRef.json > $dynamicRef avoids the root of each schema, but scopes are still registered > data is sufficient for schema at second#/$defs/length":
    WHY.dynLoop,
  "dynamicRef.json > $dynamicRef avoids the root of each schema, but scopes are still registered > data is not sufficient for schema at second#/$defs/length":
    WHY.dynLoop,
  "format.json > email format > invalid email string is only an annotation by default": WHY.format,
  "format.json > idn-email format > invalid idn-email string is only an annotation by default": WHY.format,
  "format.json > regex format > invalid regex string is only an annotation by default": WHY.format,
  "format.json > ipv4 format > invalid ipv4 string is only an annotation by default": WHY.format,
  "format.json > ipv6 format > invalid ipv6 string is only an annotation by default": WHY.format,
  "format.json > idn-hostname format > invalid idn-hostname string is only an annotation by default": WHY.format,
  "format.json > hostname format > invalid hostname string is only an annotation by default": WHY.format,
  "format.json > date format > invalid date string is only an annotation by default": WHY.format,
  "format.json > date-time format > invalid date-time string is only an annotation by default": WHY.format,
  "format.json > time format > invalid time string is only an annotation by default": WHY.format,
  "format.json > json-pointer format > invalid json-pointer string is only an annotation by default": WHY.format,
  "format.json > relative-json-pointer format > invalid relative-json-pointer string is only an annotation by default": WHY.format,
  "format.json > iri format > invalid iri string is only an annotation by default": WHY.format,
  "format.json > iri-reference format > invalid iri-reference string is only an annotation by default": WHY.format,
  "format.json > uri format > invalid uri string is only an annotation by default": WHY.format,
  "format.json > uri-reference format > invalid uri-reference string is only an annotation by default": WHY.format,
  "format.json > uri-template format > invalid uri-template string is only an annotation by default": WHY.format,
  "format.json > uuid format > invalid uuid string is only an annotation by default": WHY.format,
  "format.json > duration format > invalid duration string is only an annotation by default": WHY.format,
  "properties.json > properties whose names are Javascript object property names > __proto__ not valid": WHY.proto,
  "ref.json > refs with relative uris and defs > invalid on inner field": WHY.refIds,
  "ref.json > refs with relative uris and defs > invalid on outer field": WHY.refIds,
  "ref.json > refs with relative uris and defs > valid on both fields": WHY.refIds,
  "ref.json > relative refs with absolute uris and defs > invalid on inner field": WHY.refIds,
  "ref.json > relative refs with absolute uris and defs > invalid on outer field": WHY.refIds,
  "ref.json > relative refs with absolute uris and defs > valid on both fields": WHY.refIds,
  "ref.json > URN ref with nested pointer ref > a string is valid": WHY.urn,
  "ref.json > URN ref with nested pointer ref > a non-string is invalid": WHY.urn,
  "unevaluatedItems.json > unevaluatedItems with nested items > with no additional items": WHY.unevalNested,
  "unevaluatedItems.json > unevaluatedItems with nested items > with invalid additional item": WHY.unevalNested,
  "unevaluatedItems.json > unevaluatedItems with $dynamicRef > with no unevaluated items": WHY.unevalDyn,
  "unevaluatedItems.json > unevaluatedItems with $dynamicRef > with unevaluated items": WHY.unevalDyn,
  "unevaluatedItems.json > unevaluatedItems depends on adjacent contains > contains passes, second item is not evaluated": WHY.unevalContains,
  "unevaluatedItems.json > unevaluatedItems depends on multiple nested contains > 7 not evaluated, fails unevaluatedItems": WHY.unevalContains,
  "unevaluatedItems.json > unevaluatedItems and contains interact to control item dependency relationship > only b's are invalid": WHY.unevalContains,
  "unevaluatedItems.json > unevaluatedItems and contains interact to control item dependency relationship > only c's are invalid": WHY.unevalContains,
  "unevaluatedItems.json > unevaluatedItems and contains interact to control item dependency relationship > only b's and c's are invalid": WHY.unevalContains,
  "unevaluatedItems.json > unevaluatedItems and contains interact to control item dependency relationship > only a's and c's are invalid": WHY.unevalContains,
  "unevaluatedItems.json > unevaluatedItems with minContains = 0 > all items evaluated by contains": WHY.unevalContains,
  "unevaluatedItems.json > unevaluatedItems can see annotations from if without then and else > valid in case if is evaluated": WHY.unevalIf,
  "unevaluatedProperties.json > unevaluatedProperties with if/then/else, then not defined > when if is true and has no unevaluated properties": WHY.unevalIf,
  "unevaluatedProperties.json > unevaluatedProperties with if/then/else, then not defined > when if is false and has unevaluated properties": WHY.unevalIf,
  "unevaluatedProperties.json > unevaluatedProperties with $dynamicRef > with no unevaluated properties": WHY.unevalDyn,
  "unevaluatedProperties.json > unevaluatedProperties with $dynamicRef > with unevaluated properties": WHY.unevalDyn,
  "unevaluatedProperties.json > unevaluatedProperties can see annotations from if without then and else > valid in case if is evaluated": WHY.unevalIf,
  "vocabulary.json > schema that uses custom metaschema with with no validation vocabulary > no validation: invalid number, but it still validates": WHY.vocab,
  "optional/cross-draft.json > refs to historic drafts are processed as historic drafts > first item not a string is valid": WHY.cross,
  "optional/dynamicRef.json > $dynamicRef skips over intermediate resources - pointer reference across resource boundary > integer property passes": WHY.dyn,
  "optional/float-overflow.json > all integers are multiples of 0.5, if overflow is handled > valid if optional overflow handling is implemented": WHY.float,
  "optional/unknownKeyword.json > $id inside an unknown keyword is not a real identifier > type matches second anyOf, which has a real schema in it":
    WHY.unknownKw,
  "optional/unknownKeyword.json > $id inside an unknown keyword is not a real identifier > type matches non-schema in first anyOf": WHY.unknownKw,
  "optional/unknownKeyword.json > $id inside an unknown keyword is not a real identifier > type matches non-schema in third anyOf": WHY.unknownKw,
};

interface Group {
  description: string;
  schema: unknown;
  tests: Array<{ description: string; data: unknown; valid: boolean }>;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(dir, name));
}

function remotes(dir: string): Array<[string, unknown]> {
  return readdirSync(dir).flatMap((name): Array<[string, unknown]> => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return remotes(path);
    const uri = `http://localhost:1234/${relative(join(suite, "remotes"), path).replaceAll("\\", "/")}`;
    return [[uri, JSON.parse(readFileSync(path, "utf8"))]];
  });
}

const files: Array<[Category, string]> = [
  ...jsonFiles(tests).map((file): [Category, string] => ["required", file]),
  ...jsonFiles(join(tests, "optional")).map((file): [Category, string] => ["optional", file]),
  ...jsonFiles(join(tests, "optional/format")).map((file): [Category, string] => ["format", file]),
];

const outDir = join(root, "test/.generated");
let workDir: string;
const counts: Record<Category, { passed: number; total: number }> = {
  required: { passed: 0, total: 0 },
  optional: { passed: 0, total: 0 },
  format: { passed: 0, total: 0 },
};
const failed = new Map<string, string>();
const cases = new Set<string>();

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  workDir = mkdtempSync(join(outDir, "json-schema-suite-"));
  const remoteSchemas = remotes(join(suite, "remotes"));
  for (const [category, file] of files) {
    const name = relative(tests, file).replaceAll("\\", "/");
    const groups: Group[] = JSON.parse(readFileSync(file, "utf8"));
    const set = createValidatorSet();
    for (const [uri, schema] of remoteSchemas) set.addRemote(uri, schema);
    const exports = groups.map((group) => {
      try {
        return { name: set.forSchema(group.schema) };
      } catch (error) {
        return { error: `does not compile: ${(error as Error).message}` };
      }
    });
    const module = join(workDir, name.replaceAll("/", "-").replace(/\.json$/, ".mjs"));
    writeFileSync(module, set.code({ runtimeImport: relative(workDir, join(root, "src/runtime/formats/index.ts")).replaceAll("\\", "/") }));
    const validators: Record<string, (data: unknown) => boolean> = await import(pathToFileURL(module).href);
    groups.forEach((group, i) => {
      const compiled = exports[i];
      for (const test of group.tests) {
        const id = `${name} > ${group.description} > ${test.description}`;
        cases.add(id);
        counts[category].total++;
        if ("error" in compiled) {
          failed.set(id, compiled.error!);
          continue;
        }
        let valid: boolean | string;
        try {
          valid = validators[compiled.name](test.data);
        } catch (error) {
          valid = `throws ${(error as Error).message}`;
        }
        if (valid === test.valid) counts[category].passed++;
        else failed.set(id, typeof valid === "string" ? valid : `says ${valid ? "valid" : "invalid"}, expected ${test.valid ? "valid" : "invalid"}`);
      }
    });
  }
  console.log(
    [
      "category   passed   total",
      ...Object.entries(counts).map(([category, { passed, total }]) => `${category.padEnd(10)} ${String(passed).padStart(6)}  ${String(total).padStart(6)}`),
    ].join("\n"),
  );
}, 60_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("JSON Schema Test Suite, draft 2020-12, through the generated validators", () => {
  it("fails no case outside the known failures", () => {
    const fixed = Object.keys(KNOWN_FAILURES).filter((id) => cases.has(id) && !failed.has(id));
    if (fixed.length > 0) console.log(`Known failures that now pass (remove them from KNOWN_FAILURES and raise FLOORS):\n${fixed.join("\n")}`);
    const unexpected = [...failed].filter(([id]) => !(id in KNOWN_FAILURES)).map(([id, why]) => `${id}: ${why}`);
    expect(unexpected).toEqual([]);
  });

  it("lists as known failures only cases the suite has", () => {
    expect(Object.keys(KNOWN_FAILURES).filter((id) => !cases.has(id))).toEqual([]);
  });

  for (const category of ["required", "optional", "format"] as const) {
    it(`${category}: at least ${FLOORS[category]} tests pass`, () => {
      expect(counts[category].passed).toBeGreaterThanOrEqual(FLOORS[category]);
    });
  }
});
