/**
 * The validators the build generates, as the Worker gets them: code() is
 * written to disk and imported (and bundled as wrangler would) before any
 * assertion about what it accepts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { build } from "esbuild";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { SchemaCompileError } from "./validator-set.ts";
import { createValidatorSet } from "./validators.ts";

type Validator = ((data: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }> | null;
};

const root = fileURLToPath(new URL("../../..", import.meta.url).href);
mkdirSync(join(root, "test/.generated"), { recursive: true });
// Inside the project, so the module's imports of ajv and ajv-formats resolve.
const outDir = mkdtempSync(join(root, "test/.generated/validators-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const formatsModule = join(root, "src/runtime/formats/index.ts");
/** The run-time formats as a module written in `dir` imports them. */
const runtimeImportFrom = (dir: string) => ({ runtimeImport: relative(dir, formatsModule).replaceAll("\\", "/") });
/** For the modules load() writes. */
const here = runtimeImportFrom(outDir);

let written = 0;
async function load(code: string): Promise<Record<string, Validator>> {
  const file = join(outDir, `module${written++}.mjs`);
  writeFileSync(file, code);
  return import(pathToFileURL(file).href);
}

const bodyPointer = (path: string, method = "post") => `/paths/${path.replaceAll("/", "~1")}/${method}/requestBody/content/application~1json/schema`;

function documentWith(paths: Record<string, unknown>, schemas: Record<string, unknown> = {}) {
  const operations = Object.fromEntries(
    Object.entries(paths).map(([path, schema]) => [
      path,
      { post: { requestBody: { content: { "application/json": { schema } } }, responses: { "204": { description: "done" } } } },
    ]),
  );
  return { openapi: "3.1.0", info: { title: "Museum", version: "1" }, paths: operations, components: { schemas } };
}

const exhibit = {
  type: "object",
  required: ["id", "title"],
  properties: { id: { type: "string", pattern: "^ex-[0-9]+$" }, title: { type: "string", minLength: 1 } },
  additionalProperties: false,
};

describe("createValidatorSet: the document's schemas", () => {
  it("gives identical schemas of two operations one export, compiled once", async () => {
    const ticket = { type: "object", required: ["visitor"], properties: { visitor: { type: "string" } } };
    const set = createValidatorSet(documentWith({ "/tickets": ticket, "/passes": structuredClone(ticket), "/notes": { type: "string" } }));
    const tickets = set.forPointer(bodyPointer("/tickets"));
    expect(set.forPointer(bodyPointer("/passes"))).toBe(tickets);
    expect(set.size).toBe(1);
    const notes = set.forPointer(bodyPointer("/notes"));
    expect(notes).not.toBe(tickets);
    expect(set.size).toBe(2);
    const code = set.code(here);
    expect(code.match(/export const v\d+ =/g)).toHaveLength(2);
    const module = await load(code);
    expect(module[tickets]({ visitor: "Ada" })).toBe(true);
    expect(module[tickets]({})).toBe(false);
    expect(module[notes]("a note")).toBe(true);
  });

  it("writes a component that several operations $ref once, and every operation checks it", async () => {
    const set = createValidatorSet(
      documentWith(
        {
          "/exhibits": { $ref: "#/components/schemas/Exhibit" },
          "/batches": { type: "array", items: { $ref: "#/components/schemas/Exhibit" } },
          "/loans": { type: "object", properties: { exhibit: { $ref: "#/components/schemas/Loaned" } } },
        },
        // Loaned is only an alias, and Copy the same schema under another name: both are Exhibit.
        { Exhibit: exhibit, Loaned: { $ref: "#/components/schemas/Copy", description: "An exhibit on loan." }, Copy: structuredClone(exhibit) },
      ),
    );
    const single = set.forPointer(bodyPointer("/exhibits"));
    const batch = set.forPointer(bodyPointer("/batches"));
    const loan = set.forPointer(bodyPointer("/loans"));
    expect(set.forPointer("/components/schemas/Exhibit")).toBe(single);
    const code = set.code(here);
    // Three exports, and the component's function once: the first export is that function.
    expect(code.match(/function validate\d+\(/g)).toHaveLength(3);
    expect(code.match(/missingProperty: "title"/g)).toHaveLength(1);
    const module = await load(code);
    const bad = { id: "42", title: "" };
    expect(module[single]({ id: "ex-1", title: "Mona Lisa" })).toBe(true);
    expect(module[single](bad)).toBe(false);
    expect(module[batch]([{ id: "ex-1", title: "Mona Lisa" }, bad])).toBe(false);
    expect(module[batch].errors?.map((e) => [e.instancePath, e.keyword])).toEqual([
      ["/1/id", "pattern"],
      ["/1/title", "minLength"],
    ]);
    expect(module[loan]({ exhibit: bad })).toBe(false);
  });

  it("accepts OpenAPI's own keywords as annotations and checks nothing with them", async () => {
    const pet = {
      type: "object",
      required: ["kind"],
      properties: {
        kind: { type: "string", enum: ["cat", "dog"], example: "cat", deprecated: false, readOnly: true },
        name: { type: "string", writeOnly: true, xml: { name: "pet-name" }, "x-display": "Name", examples: ["Tom"] },
        age: { nullable: true, anyOf: [{ type: "integer" }, { type: "null" }] },
      },
      discriminator: { propertyName: "kind", mapping: { cat: "#/components/schemas/Cat" } },
      externalDocs: { url: "https://example.com/pets" },
      "x-internal": true,
    };
    const set = createValidatorSet(documentWith({ "/pets": pet }));
    const name = set.forPointer(bodyPointer("/pets"));
    const module = await load(set.code(here));
    expect(module[name]({ kind: "cat", name: "Tom", age: null })).toBe(true);
    expect(module[name]({ kind: "cow" })).toBe(false);
    expect(module[name].errors?.map((e) => e.keyword)).toEqual(["enum"]);
  });

  it("lists every violation, with Ajv's error shape", async () => {
    const set = createValidatorSet(documentWith({ "/exhibits": exhibit }));
    const name = set.forPointer(bodyPointer("/exhibits"));
    const module = await load(set.code(here));
    expect(module[name]({ id: 7, extra: true })).toBe(false);
    expect(module[name].errors).toEqual([
      expect.objectContaining({ instancePath: "", keyword: "required", params: { missingProperty: "title" }, message: "must have required property 'title'" }),
      expect.objectContaining({ instancePath: "", keyword: "additionalProperties", params: { additionalProperty: "extra" } }),
      expect.objectContaining({ instancePath: "/id", keyword: "type", params: { type: "string" }, message: "must be string" }),
    ]);
  });

  it("asserts formats: an email that is not one is refused, and so is an int32 that does not fit", async () => {
    const visitor = {
      type: "object",
      properties: { email: { type: "string", format: "email" }, id: { format: "uuid" }, visits: { type: "integer", format: "int32" } },
    };
    const set = createValidatorSet(documentWith({ "/visitors": visitor }));
    const name = set.forPointer(bodyPointer("/visitors"));
    const module = await load(set.code(here));
    expect(module[name]({ email: "ada@example.com", id: "2eb8aa08-aa98-11ea-b4aa-73b441d16380", visits: 2 ** 31 - 1 })).toBe(true);
    expect(module[name]({ email: "ada at example.com" })).toBe(false);
    expect(module[name].errors).toEqual([expect.objectContaining({ instancePath: "/email", keyword: "format", params: { format: "email" } })]);
    expect(module[name]({ id: "not-a-uuid" })).toBe(false);
    expect(module[name]({ visits: 2 ** 31 })).toBe(false);
  });

  it("answers quickly on long hostile strings, whatever the format", async () => {
    const formats = [
      "date-time",
      "duration",
      "uri",
      "uri-reference",
      "iri",
      "iri-reference",
      "uri-template",
      "email",
      "idn-email",
      "hostname",
      "idn-hostname",
      "uuid",
      "regex",
      "ipv6",
      "date",
    ];
    const set = createValidatorSet();
    const names = formats.map((format) => set.forSchema({ format }));
    const module = await load(set.code(here));
    const hostile = [
      "a".repeat(50_000) + "\u0000",
      "//" + "a:".repeat(20_000) + "@",
      `http://[${"1:".repeat(20_000)}]`,
      "a".repeat(50_000) + "@" + "b.".repeat(20_000),
      "\u0627".repeat(50_000),
      "{" + "a.".repeat(20_000) + "}",
    ];
    for (const name of names) {
      const started = performance.now();
      for (const input of hostile) expect(typeof module[name](input)).toBe("boolean");
      expect(performance.now() - started).toBeLessThan(250);
    }
  });

  it("does not fail on a format it does not know: it accepts any value and says so", async () => {
    const set = createValidatorSet(documentWith({ "/users": { type: "string", format: "snowflake" } }));
    const name = set.forPointer(bodyPointer("/users"));
    expect(set.warnings.join("\n")).toContain('unknown format "snowflake"');
    const module = await load(set.code(here));
    expect(module[name]("whatever")).toBe(true);
    expect(module[name](12)).toBe(false);
  });

  it("refuses every value for an empty enum, which Ajv alone cannot compile", async () => {
    const set = createValidatorSet(documentWith({ "/requests": { type: "object", properties: { status: { type: "string", enum: [] } } } }));
    const name = set.forPointer(bodyPointer("/requests"));
    const module = await load(set.code(here));
    expect(module[name]({})).toBe(true);
    expect(module[name]({ status: "open" })).toBe(false);
  });

  it("compiles $recursiveRef (a 2019-09 keyword) as recursion into its schema", async () => {
    const filter = {
      $recursiveAnchor: true,
      type: "object",
      required: ["type", "filters"],
      properties: {
        type: { enum: ["and", "or"] },
        filters: { type: "array", items: { oneOf: [{ $ref: "#/components/schemas/Comparison" }, { $recursiveRef: "#" }] } },
      },
      additionalProperties: false,
    };
    const comparison = { type: "object", required: ["key"], properties: { key: { type: "string" } }, additionalProperties: false };
    const set = createValidatorSet(documentWith({ "/search": { $ref: "#/components/schemas/Compound" } }, { Compound: filter, Comparison: comparison }));
    const name = set.forPointer(bodyPointer("/search"));
    const module = await load(set.code(here));
    expect(module[name]({ type: "and", filters: [{ key: "a" }, { type: "or", filters: [{ key: "b" }] }] })).toBe(true);
    expect(module[name]({ type: "and", filters: [{ type: "or", filters: [{ nope: 1 }] }] })).toBe(false);
  });

  it("says which schema cannot be compiled, and why", () => {
    const set = createValidatorSet(
      documentWith({
        "/broken": { type: "object", properties: { owner: { $ref: "#/components/schemas/Missing" } } },
        "/odd": { $ref: "#/components/schemas/100%" },
        "/fine": { type: "string" },
      }),
    );
    let error: unknown;
    try {
      set.forPointer(bodyPointer("/broken"));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SchemaCompileError);
    expect(error).toMatchObject({ pointer: bodyPointer("/broken"), message: "can't resolve reference #/components/schemas/Missing" });
    expect(() => set.forPointer("/paths/~1nowhere")).toThrow("There is no schema at /paths/~1nowhere.");
    expect(() => set.forPointer(bodyPointer("/odd"))).toThrow(SchemaCompileError);
    expect(set.size).toBe(0);
    // One broken schema breaks no other.
    expect(set.forPointer(bodyPointer("/fine"))).toBe("v0");
  });
});

describe("createValidatorSet: standalone schemas and remotes", () => {
  it("resolves $refs to registered remotes and dedupes by text", async () => {
    const set = createValidatorSet();
    set.addRemote("https://schemas.example/money.json", {
      $id: "https://schemas.example/money.json",
      type: "object",
      required: ["amount"],
      properties: { amount: { type: "integer" } },
    });
    const price = set.forSchema({ type: "object", properties: { price: { $ref: "https://schemas.example/money.json" } } });
    expect(set.forSchema({ type: "object", properties: { price: { $ref: "https://schemas.example/money.json" } } })).toBe(price);
    expect(set.size).toBe(1);
    const module = await load(set.code(here));
    expect(module[price]({ price: { amount: 5 } })).toBe(true);
    expect(module[price]({ price: { amount: "5" } })).toBe(false);
  });
});

describe("code()", () => {
  const set = createValidatorSet(documentWith({ "/exhibits": exhibit }));
  set.forPointer(bodyPointer("/exhibits"));
  set.forSchema({
    type: "object",
    properties: { tags: { type: "array", uniqueItems: true, items: { enum: [{ a: 1 }, "b"] } }, note: { type: "string", maxLength: 3, format: "date-time" } },
  });
  const code = set.code(here);

  it("holds no require(), eval( or new Function", () => {
    expect(code).not.toMatch(/\brequire\(|\beval\(|new Function/);
  });

  it("imports the run-time formats alone, by the specifier it is given, so it runs wherever it is written", async () => {
    expect(code.match(/^import .*$/gm)).toEqual([
      `import { formats as porticoFormats, regExp as porticoRegExp, equal as porticoEqual, length as porticoLength, failure as porticoFailure } from ${JSON.stringify(here.runtimeImport)};`,
    ]);
    const elsewhere = mkdtempSync(join(tmpdir(), "portico-validators-"));
    try {
      writeFileSync(join(elsewhere, "validators.mjs"), set.code(runtimeImportFrom(elsewhere)));
      const module: Record<string, Validator> = await import(pathToFileURL(join(elsewhere, "validators.mjs")).href);
      expect(module.v0({ id: "ex-1", title: "Mona Lisa" })).toBe(true);
      expect(module.v1({ tags: [{ a: 1 }, { a: 1 }] })).toBe(false);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("bundles for workerd with nothing but the run-time formats in it, and no code generated from strings", async () => {
    const entry = join(outDir, "bundle-entry.mjs");
    writeFileSync(entry, code);
    const result = await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", write: false, metafile: true, logLevel: "silent" });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => !/(^|\/)src\/runtime\/formats\/[\w-]+\.ts$/.test(input))).toEqual([expect.stringMatching(/bundle-entry\.mjs$/)]);
    expect(inputs).toContainEqual(expect.stringMatching(/src\/runtime\/formats\/index\.ts$/));
    expect(result.outputFiles[0].text).not.toMatch(/\brequire\(|\beval\(|new Function/);
  });
});

describe("property: generated validators agree with Ajv compiling in process", () => {
  const schemas: Record<string, unknown> = {
    object: {
      type: "object",
      required: ["name"],
      properties: {
        name: { type: "string", minLength: 2, maxLength: 5 },
        age: { type: "integer", minimum: 0, exclusiveMaximum: 150 },
        kind: { enum: ["a", 1, null, { b: [1] }] },
      },
      additionalProperties: { type: ["boolean", "number"] },
    },
    array: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      prefixItems: [{ type: "string" }],
      items: { type: ["number", "object"] },
      contains: { type: "number", multipleOf: 0.5 },
      maxContains: 2,
    },
    combinators: {
      anyOf: [{ type: "string", pattern: "^\\p{Lu}" }, { const: { x: [1, "2"] } }],
      not: { type: "string", format: "date" },
      oneOf: [{ type: "string" }, { type: "object" }, { type: "array", maxItems: 1 }],
    },
    recursive: {
      $defs: {
        node: { type: "object", properties: { value: { type: "number" }, children: { type: "array", items: { $ref: "#/$defs/node" } } }, required: ["value"] },
      },
      $ref: "#/$defs/node",
    },
    unevaluated: {
      type: "object",
      allOf: [{ properties: { a: true } }],
      patternProperties: { "^x-": { type: "string" } },
      if: { required: ["b"] },
      then: { properties: { b: { type: "integer" } } },
      unevaluatedProperties: false,
      dependentRequired: { a: ["b"] },
      propertyNames: { maxLength: 3 },
    },
  };
  const keys = fc.constantFrom("name", "age", "kind", "a", "b", "x-1", "value", "children", "x", "toString", "__proto__");
  // What JSON.parse gives the gateway: plain objects, "__proto__" as an own key.
  const value = fc
    .letrec((tie) => ({
      any: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.jsonValue({ maxDepth: 2 }),
        tie("object"),
        tie("array"),
        fc.string({ unit: "grapheme", maxLength: 6 }),
      ),
      object: fc.dictionary(keys, tie("any"), { maxKeys: 4 }),
      array: fc.array(tie("any"), { maxLength: 4 }),
    }))
    .any.map((data) => JSON.parse(JSON.stringify(data)));

  const reference = new Ajv2020({ strict: false, allErrors: true, inlineRefs: false, ownProperties: true });
  addFormats(reference);
  const set = createValidatorSet();
  const names = Object.fromEntries(Object.entries(schemas).map(([label, schema]) => [label, set.forSchema(schema)]));
  const generated = load(set.code(here));

  for (const [label, schema] of Object.entries(schemas)) {
    it(`${label}: same verdict and same errors, 1,000 random values`, async () => {
      const validate = (await generated)[names[label]];
      const expected = reference.compile(schema as object);
      fc.assert(
        fc.property(value, (data) => {
          const verdict = validate(data);
          let expectedVerdict: boolean;
          try {
            expectedVerdict = expected(data);
          } catch {
            // Ajv in process throws there (see repaired() in validators.ts); ours must answer.
            expect(typeof verdict).toBe("boolean");
            return;
          }
          expect(verdict).toBe(expectedVerdict);
          // The generated code leaves out `schemaPath` (see compacted() in validator-code.ts): nothing in the Worker reads it.
          expect(validate.errors ?? null).toEqual(expected.errors?.map(({ schemaPath: _, ...error }) => error) ?? null);
        }),
        { numRuns: 1000 },
      );
    });
  }

  it("answers where Ajv in process throws: a toString key, and an if/then that did not apply", async () => {
    const module = await generated;
    expect(module[names.combinators]({ toString: "" })).toBe(false);
    expect(module[names.combinators].errors?.map((e) => e.keyword)).toContain("anyOf");
    expect(() => reference.compile(schemas.combinators as object)({ toString: "" })).toThrow();
    expect(module[names.unevaluated]({ "x-1": "tag" })).toBe(true);
    expect(module[names.unevaluated]({ "x-1": "tag", c: 1 })).toBe(false);
    expect(() => reference.compile(schemas.unevaluated as object)({ "x-1": "tag" })).toThrow();
  });
});
