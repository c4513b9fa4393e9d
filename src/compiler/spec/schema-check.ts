/**
 * @module
 * Checks a value against a JSON Schema at build time with Ajv (2020-12) and
 * turns each violation into a located BuildError. Defaults from the schema are
 * filled into the value, so the runtime never has to.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { BuildError, tokensOf } from "../errors.ts";
import type { SourceSet } from "./sources.ts";

const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
const compiled = new WeakMap<object, ValidateFunction>();

function explain(error: ErrorObject): string {
  const at = error.instancePath === "" ? "the value" : `"${tokensOf(error.instancePath).join(".")}"`;
  switch (error.keyword) {
    case "additionalProperties":
      return `${at} has an unknown key "${error.params.additionalProperty}"`;
    case "required":
      return `${at} is missing the required key "${error.params.missingProperty}"`;
    case "enum":
      return `${at} must be one of ${JSON.stringify(error.params.allowedValues)}`;
    default:
      return `${at} ${error.message}`;
  }
}

/** Drops the noise Ajv adds for oneOf/anyOf when a branch's own error says more. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
  return specific.length > 0 ? specific : errors;
}

export interface CheckInput {
  schema: object;
  value: unknown;
  /** Pointer of the value in the bundled document. */
  pointer: string;
  sources: SourceSet;
  /** Says what the value is ("options of policy rate-limit") and how to fix it. */
  subject: string;
  hint: string;
}

export function checkAgainstSchema(input: CheckInput): BuildError[] {
  let validate = compiled.get(input.schema);
  if (!validate) {
    try {
      validate = ajv.compile(input.schema);
    } catch (error) {
      // A user module's options schema that is not valid JSON Schema.
      return [
        new BuildError(
          input.sources.locate(input.pointer),
          `${input.subject}: the options schema itself is not valid JSON Schema (${(error as Error).message}).`,
          "Fix the `options` schema in the module's definePolicy/defineHandler call.",
        ),
      ];
    }
    compiled.set(input.schema, validate);
  }
  if (validate(input.value)) return [];
  const seen = new Set<string>();
  return relevant(validate.errors ?? []).flatMap((error) => {
    const message = `${input.subject}: ${explain(error)}.`;
    if (seen.has(message)) return [];
    seen.add(message);
    return [new BuildError(input.sources.locate(input.pointer + error.instancePath), message, input.hint)];
  });
}
