/**
 * @module
 * Compiles JSON Schemas (2020-12) at build time into one ES module of
 * standalone validators, Ajv's generated code: the Worker imports plain
 * functions and never generates code at run time, which workerd forbids.
 *
 * Schemas of the OpenAPI document are compiled where they stand, so their
 * `$ref`s resolve against the document, and a component that many operations
 * reference is one function in the output, not one copy per operation.
 *
 * The formats that are functions, the RegExp maker and the helpers come from
 * src/runtime/formats: Ajv runs them here, and the module imports the same
 * ones, so a value is judged alike at build time and in the Worker.
 */
import { createRequire } from "node:module";
import type { CodeKeywordDefinition } from "ajv/dist/2020.js";
import type { SchemaEnv } from "ajv/dist/compile/index.js";
import { formats, regExp } from "../../runtime/formats/index.ts";
import { FORMATS_NAME, moduleOf, REGEXP_NAME } from "./validator-code.ts";
import { followAliases, fragmentOf, locate, prepareDocument, type PreparedDocument } from "./schema-document.ts";

// Ajv is loaded through Node's require so that all of it is one instance: a
// test runner that evaluates ajv/dist/compile a second time (vitest's global
// setup does) breaks Ajv's `instanceof SchemaEnv` checks inside resolveRef.
const require = createRequire(import.meta.url);
const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
const { Name } = require("ajv/dist/compile/codegen/index.js") as typeof import("ajv/dist/compile/codegen/index.js");
const { resolveRef } = require("ajv/dist/compile/index.js") as typeof import("ajv/dist/compile/index.js");
const standaloneCode = (require("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js")).default;
const { fullFormats } = require("ajv-formats/dist/formats.js") as typeof import("ajv-formats/dist/formats.js");

export interface ValidatorSet {
  /** A validator for the schema found at this JSON pointer of the document (e.g. "/paths/~1exhibits/post/requestBody/content/application~1json/schema"). Returns the export name. Identical schemas (same JSON text, as $refs inside resolve against the same document) get the same export: compiled once. */
  forPointer(pointer: string): string;
  /** A validator for a standalone schema (its own root; $id / $schema honoured), for test suites and policies' own schemas. Deduplicated the same way. */
  forSchema(schema: unknown): string;
  /** Registers a schema that others $ref by URI (e.g. the test suite's remotes at http://localhost:1234/...). */
  addRemote(uri: string, schema: unknown): void;
  /** How many distinct validators were requested (after dedupe). */
  readonly size: number;
  /** What compiling met without failing (an unknown format, for one), each once. */
  readonly warnings: readonly string[];
  /**
   * The ESM module source: `export const v0 = ...; export const v1 = ...;` (names as returned).
   * It imports the run-time formats and helpers from `runtimeImport`: the
   * specifier of src/runtime/formats/index.ts from where the module is written
   * (`"../src/runtime/formats/index.ts"` for .portico/validators.ts).
   */
  code(options: { runtimeImport: string }): string;
}

/** A schema that could not be compiled, and where it is. */
export class SchemaCompileError extends Error {
  override name = "SchemaCompileError";
  /** The JSON pointer of the schema in the document, when it came from there. */
  readonly pointer?: string;

  constructor(message: string, pointer?: string) {
    super(message);
    this.pointer = pointer;
  }
}

/** The base URI the document's schemas resolve against. Never fetched: `.invalid` cannot exist. */
const DOCUMENT_URI = "https://openapi.portico.invalid/document.json";
/** The dialects compiled as what they are; any other `$schema` is compiled as 2020-12, with a warning. */
const DIALECTS = new Set(["https://json-schema.org/draft/2020-12/schema", "https://spec.openapis.org/oas/3.1/dialect/base"]);

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ from id \S*/, "").replaceAll(DOCUMENT_URI, "");
}

function createAjv(log: (message: string) => void): InstanceType<typeof Ajv2020> {
  const ajv = new Ajv2020({
    allErrors: true,
    // 2020-12 makes unknown keywords annotations: OpenAPI's own (discriminator, xml,
    // example, x-*) and any other are accepted and ignored, and unknown formats too.
    strict: false,
    validateSchema: false,
    // Each $ref target is one function, so a component is written once however often it is used.
    inlineRefs: false,
    // `{ "required": ["constructor"] }` must not be met by Object.prototype.
    ownProperties: true,
    logger: { log() {}, warn: (...args: unknown[]) => log(args.join(" ")), error: (...args: unknown[]) => log(args.join(" ")) },
    // Ajv reads the name it writes for the RegExp maker from a `code` property: set on a wrapper, not on the shared function.
    code: { source: true, esm: true, formats: new Name(FORMATS_NAME), regExp: Object.assign((pattern: string, flags: string) => regExp(pattern, flags), { code: REGEXP_NAME }) },
  });
  // OpenAPI 3.0's `nullable` is read at load; one left without a `type` means nothing, as in 3.0.
  ajv.removeKeyword("nullable");
  // An empty enum allows no value (Ajv refuses to compile it; documents have them).
  const enumKeyword = ajv.getKeyword("enum") as CodeKeywordDefinition;
  ajv.removeKeyword("enum");
  ajv.addKeyword({ ...enumKeyword, code: (cxt) => (cxt.schema?.length === 0 ? cxt.fail() : enumKeyword.code(cxt)) });
  // ajv-formats' regular expressions are written into the code; its functions are replaced by ours.
  for (const [name, format] of Object.entries(fullFormats)) if (format instanceof RegExp || format === true) ajv.addFormat(name, format);
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  return ajv;
}

export function createValidatorSet(document?: Record<string, unknown>): ValidatorSet {
  const warnings = new Set<string>();
  let compiling = "";
  const ajv = createAjv((message) => warnings.add(`${message}${compiling}`));
  /** Export name by where the schema is compiled and its JSON text (and the `$id`s around it). */
  const names = new Map<string, string>();
  /** The key under which standaloneCode finds each export's compiled schema. */
  const exports: Record<string, string> = {};
  /** The document as Ajv has it, prepared on the first forPointer. */
  let prepared: (PreparedDocument & { env: SchemaEnv }) | Error | undefined;

  function prepare(): PreparedDocument & { env: SchemaEnv } {
    if (!document) throw new Error("forPointer needs the document: createValidatorSet(document).");
    prepared ??= (() => {
      try {
        const result = prepareDocument(document);
        ajv.addSchema(result.document as object, DOCUMENT_URI);
        return { ...result, env: ajv.schemas[DOCUMENT_URI]! };
      } catch (error) {
        return new SchemaCompileError(`The document's schemas cannot be read together: ${describe(error)}`, "");
      }
    })();
    if (prepared instanceof Error) throw prepared;
    return prepared;
  }

  function register(key: string, where: string, compile: () => SchemaEnv): string {
    const known = names.get(key);
    if (known) return known;
    const name = `v${names.size}`;
    compiling = where;
    try {
      // standaloneCode looks exports up by key, as getSchema does.
      exports[name] = `portico-validator:${name}`;
      ajv.refs[exports[name]] = compile();
    } catch (error) {
      delete exports[name];
      throw error;
    } finally {
      compiling = "";
    }
    names.set(key, name);
    return name;
  }

  function compileStandalone(schema: unknown, pointer?: string): SchemaEnv {
    try {
      try {
        return ajv.compile(schema as object).schemaEnv;
      } catch (error) {
        // Another schema of the set has this $id: the new one takes it over, for the $refs
        // compiled from now on; validators compiled already keep what they referenced.
        const taken = /^schema with key or id "(.*)" already exists$/.exec(describe(error))?.[1];
        if (taken === undefined) throw error;
        ajv.removeSchema(taken);
        return ajv.compile(schema as object).schemaEnv;
      }
    } catch (error) {
      throw new SchemaCompileError(describe(error), pointer);
    }
  }

  return {
    forPointer(pointer) {
      const { document: copy, env: documentEnv, keptByText } = prepare();
      let target = followAliases(copy, pointer);
      const { node, ids } = locate(copy, target);
      if (node === undefined) throw new SchemaCompileError(`There is no schema at ${pointer}.`, pointer);
      const where = ` (compiling the schema at ${pointer})`;
      if (typeof node === "boolean") return register(`standalone\n${node}`, where, () => compileStandalone(node, pointer));
      const text = JSON.stringify(node);
      if (ids.length === 0) target = keptByText.get(text) ?? target;
      // Keyed apart from standalone schemas: the same text means something else in the document.
      return register(`document ${ids.join(" ")}\n${text}`, where, () => {
        let env: ReturnType<typeof resolveRef>;
        try {
          // Resolved as a $ref inside the document would be: the same cache, the same function.
          env = resolveRef.call(ajv, documentEnv, DOCUMENT_URI, fragmentOf(target));
        } catch (error) {
          throw new SchemaCompileError(describe(error), pointer);
        }
        if (!env || typeof env !== "object" || !("validate" in env) || !env.validate) throw new SchemaCompileError(`${pointer} is not a schema.`, pointer);
        return env as SchemaEnv;
      });
    },
    forSchema(schema) {
      const dialect = (schema as { $schema?: unknown } | null)?.$schema;
      if (typeof dialect === "string" && !DIALECTS.has(dialect.replace(/#$/, ""))) warnings.add(`"$schema": "${dialect}" is compiled as JSON Schema 2020-12.`);
      return register(`standalone\n${JSON.stringify(schema)}`, "", () => compileStandalone(schema));
    },
    addRemote(uri, schema) {
      ajv.addSchema(schema as object, uri);
    },
    get size() {
      return names.size;
    },
    get warnings() {
      return [...warnings];
    },
    code({ runtimeImport }) {
      if (names.size === 0) return "export {};\n";
      const { imports, body } = moduleOf(standaloneCode(ajv, exports), runtimeImport);
      return [...imports, body].join("\n");
    },
  };
}
