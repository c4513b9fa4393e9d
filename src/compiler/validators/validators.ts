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
 * ones, so a value is judged alike at build time and in the Worker. Patterns
 * named in `engines.linear` run on the linear-time engine, here and there.
 */
import { createRequire } from "node:module";
import type { CodeKeywordDefinition } from "ajv/dist/2020.js";
import type { SchemaEnv } from "ajv/dist/compile/index.js";
import { formats, regExp } from "../../runtime/formats/index.ts";
import { linearRegExp } from "../../runtime/formats/linear-reg-exp.ts";
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

/** One way a value breaks a schema, as Ajv reports it. */
export interface SchemaViolation {
  /** JSON pointer of the offending part of the value ("" for the value itself). */
  instancePath: string;
  keyword: string;
  message: string;
  params: Record<string, any>;
}

export interface ValidatorSet {
  /** A validator for the schema found at this JSON pointer of the document (e.g. "/paths/~1exhibits/post/requestBody/content/application~1json/schema"). Returns the export name. Identical schemas (same JSON text, as $refs inside resolve against the same document) get the same export: compiled once. */
  forPointer(pointer: string): string;
  /** A validator for a standalone schema (its own root; $id / $schema honoured), for test suites and policies' own schemas. Deduplicated the same way. */
  forSchema(schema: unknown): string;
  /**
   * Checks values at build time (examples, generated mock answers) against the schema at this
   * pointer, with the validator the gateway would use. Compiled once per distinct schema, as
   * forPointer compiles, and not exported: the generated module does not grow. Throws a
   * SchemaCompileError as forPointer does.
   */
  check(pointer: string): (value: unknown) => SchemaViolation[];
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

/** How the document's patterns are run: RE2's spelling of each one the build sends to the linear-time engine, by the pattern as written. */
export interface PatternEngines {
  linear?: ReadonlyMap<string, string>;
}

function createAjv(log: (message: string) => void, linear: ReadonlyMap<string, string>): InstanceType<typeof Ajv2020> {
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
    code: {
      source: true,
      esm: true,
      formats: new Name(FORMATS_NAME),
      regExp: Object.assign(
        (pattern: string, flags: string) => {
          const source = linear.get(pattern);
          return source === undefined ? regExp(pattern, flags) : linearRegExp(source);
        },
        { code: REGEXP_NAME },
      ),
    },
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

export function createValidatorSet(document?: Record<string, unknown>, engines: PatternEngines = {}): ValidatorSet {
  const linear = engines.linear ?? new Map<string, string>();
  const warnings = new Set<string>();
  let compiling = "";
  /** Set while compiling for a build-time check: what Ajv says is held, and told only if a validator of the same schema is exported. */
  let holding: Set<string> | undefined;
  const held = new Map<string, Set<string>>();
  const ajv = createAjv((message) => (holding ?? warnings).add(`${message}${compiling}`), linear);
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

  // The document is read now, as it is: the build goes on to change its own document (path items
  // inlined), which forDirection hands over as it is when it has nothing to leave out. A document
  // that cannot be read is told where a schema of it is first asked for.
  if (document) {
    try {
      prepare();
    } catch {
      // Kept in `prepared`, thrown by forPointer and check.
    }
  }

  function register(key: string, where: string, compile: () => SchemaEnv): string {
    const known = names.get(key);
    if (known) return known;
    for (const warning of held.get(key) ?? []) warnings.add(warning);
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

  /** Dedupe keys by the pointer they were worked out for: a large schema's text is made once. */
  const keys = new Map<string, { key: string; target: string; node: unknown }>();

  /** The dedupe key of the document's schema at a pointer, and how to compile it. */
  function documentSchema(pointer: string): { key: string; where: string; compile: () => SchemaEnv } {
    const { env: documentEnv } = prepare();
    const { key, target, node } = keys.get(pointer) ?? keyAt(pointer);
    const where = ` (compiling the schema at ${pointer})`;
    if (typeof node === "boolean") return { key, where, compile: () => compileStandalone(node, pointer) };
    // Keyed apart from standalone schemas: the same text means something else in the document.
    const compile = () => {
      let env: ReturnType<typeof resolveRef>;
      try {
        // Resolved as a $ref inside the document would be: the same cache, the same function.
        env = resolveRef.call(ajv, documentEnv, DOCUMENT_URI, fragmentOf(target));
      } catch (error) {
        throw new SchemaCompileError(describe(error), pointer);
      }
      if (!env || typeof env !== "object" || !("validate" in env) || !env.validate) throw new SchemaCompileError(`${pointer} is not a schema.`, pointer);
      return env as SchemaEnv;
    };
    return { key, where, compile };
  }

  function keyAt(pointer: string): { key: string; target: string; node: unknown } {
    const { document: copy, keptByText } = prepare();
    const followed = followAliases(copy, pointer);
    let target = followed;
    const aliased = keys.get(followed);
    if (aliased) {
      keys.set(pointer, aliased);
      return aliased;
    }
    const { node, ids } = locate(copy, target);
    if (node === undefined) throw new SchemaCompileError(`There is no schema at ${pointer}.`, pointer);
    let found: { key: string; target: string; node: unknown };
    if (typeof node === "boolean") found = { key: `standalone\n${node}`, target, node };
    else {
      const text = JSON.stringify(node);
      if (ids.length === 0) target = keptByText.get(text) ?? target;
      found = { key: `document ${ids.join(" ")}\n${text}`, target, node };
    }
    keys.set(pointer, found);
    keys.set(followed, found);
    return found;
  }

  /** Build-time checks by dedupe key: those of exported validators are looked up in `names` first. */
  const checks = new Map<string, (value: unknown) => SchemaViolation[]>();

  return {
    forPointer(pointer) {
      const { key, where, compile } = documentSchema(pointer);
      return register(key, where, compile);
    },
    check(pointer) {
      const { key, where, compile } = documentSchema(pointer);
      let check = checks.get(key);
      if (!check) {
        const exported = names.get(key);
        let env: SchemaEnv;
        if (exported) env = ajv.refs[exports[exported]] as SchemaEnv;
        else {
          compiling = where;
          holding = new Set();
          try {
            env = compile();
          } finally {
            held.set(key, holding);
            compiling = "";
            holding = undefined;
          }
        }
        const validate = env.validate!;
        check = (value) =>
          validate(value)
            ? []
            : ((validate.errors ?? []) as SchemaViolation[]).map(({ instancePath, keyword, message = "", params }) => ({
                instancePath,
                keyword,
                message,
                params,
              }));
        checks.set(key, check);
      }
      return check;
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
      const { imports, body } = moduleOf(standaloneCode(ajv, exports), runtimeImport, linear);
      return [...imports, body].join("\n");
    },
  };
}
