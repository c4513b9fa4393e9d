/**
 * @module
 * Ajv as the build compiles schemas with it: one instance of its modules,
 * loaded through require, set up for OpenAPI documents (2020-12, unknown
 * keywords ignored, each $ref target one function), with the run-time
 * formats and RegExp maker of src/runtime/formats, and the base URI the
 * document's schemas resolve against.
 */
import { createRequire } from "node:module";
import type { CodeKeywordDefinition } from "ajv/dist/2020.js";
import { formats, regExp } from "../../runtime/formats/index.ts";
import { linearRegExp } from "../../runtime/formats/linear-reg-exp.ts";
import { FORMATS_NAME, REGEXP_NAME } from "./validator-code.ts";

// Ajv is loaded through Node's require so that all of it is one instance: a
// test runner that evaluates ajv/dist/compile a second time (vitest's global
// setup does) breaks Ajv's `instanceof SchemaEnv` checks inside resolveRef.
const require = createRequire(import.meta.url);
const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
const { Name } = require("ajv/dist/compile/codegen/index.js") as typeof import("ajv/dist/compile/codegen/index.js");
export const { resolveRef } = require("ajv/dist/compile/index.js") as typeof import("ajv/dist/compile/index.js");
export const standaloneCode = (require("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js")).default;
const { fullFormats } = require("ajv-formats/dist/formats.js") as typeof import("ajv-formats/dist/formats.js");

/** The base URI the document's schemas resolve against. Never fetched: `.invalid` cannot exist. */
export const DOCUMENT_URI = "https://openapi.portico.invalid/document.json";
/** The dialects compiled as what they are; any other `$schema` is compiled as 2020-12, with a warning. */
export const DIALECTS = new Set(["https://json-schema.org/draft/2020-12/schema", "https://spec.openapis.org/oas/3.1/dialect/base"]);

export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ from id \S*/, "").replaceAll(DOCUMENT_URI, "");
}

export function createAjv(log: (message: string) => void, linear: ReadonlyMap<string, string>): InstanceType<typeof Ajv2020> {
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
