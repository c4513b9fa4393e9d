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
import type { SchemaEnv } from "ajv/dist/compile/index.js";
import { createAjv, describe, DIALECTS, DOCUMENT_URI, resolveRef, standaloneCode } from "./ajv-setup.ts";
import { moduleOf } from "./validator-code.ts";
import { followAliases, fragmentOf, locate, prepareDocument, type PreparedDocument } from "./schema-document.ts";
import { SchemaCompileError, type SchemaViolation, type ValidatorSet } from "./validator-set.ts";

/** How the document's patterns are run: RE2's spelling of each one the build sends to the linear-time engine, by the pattern as written. */
export interface PatternEngines {
  linear?: ReadonlyMap<string, string>;
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
