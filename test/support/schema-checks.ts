/**
 * Checks of a document's schemas as the gateway's validators make them, for tests of the portal
 * (which may not import the compiler): Ajv 2020-12 with formats, and a request need not carry
 * readOnly properties nor a response writeOnly ones (component schemas' own `required` lists).
 */
import { createRequire } from "node:module";
import type { CheckAt } from "../../src/portal/examples.ts";

const require = createRequire(import.meta.url);
const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
const addFormats = require("ajv-formats") as (ajv: unknown) => void;

export function schemaChecks(document: Record<string, any>): CheckAt {
  const made = (["request", "response"] as const).map((direction) => {
    const copy = structuredClone(document);
    const hidden = direction === "request" ? "readOnly" : "writeOnly";
    for (const schema of Object.values<Record<string, any>>(copy.components?.schemas ?? {}))
      if (Array.isArray(schema?.required)) schema.required = schema.required.filter((name: string) => schema.properties?.[name]?.[hidden] !== true);
    withoutBareNullable(copy);
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema(copy, "https://document.invalid/");
    return ajv;
  });
  return (pointer, direction) => {
    const validate = made[direction === "request" ? 0 : 1].compile({ $ref: `https://document.invalid/#${pointer}` });
    return (value) =>
      validate(value) ? [] : (validate.errors ?? []).map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message }));
  };
}

/** OpenAPI 3.0's `nullable` with no `type` beside it (OpenAI's document has some) is an error to Ajv; the build rewrites it, here it is dropped. */
function withoutBareNullable(node: unknown): void {
  if (node === null || typeof node !== "object") return;
  if (!Array.isArray(node) && "nullable" in node && !("type" in node)) delete (node as Record<string, unknown>).nullable;
  for (const child of Object.values(node)) withoutBareNullable(child);
}
