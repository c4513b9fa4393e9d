/**
 * @module
 * The document's own x-portico and its security schemes' x-portico, checked
 * against their schemas, and the `${…}` templates in them and anywhere else.
 */
import { BuildError, joinPointer } from "../errors.ts";
import { rootExtensionSchema, securitySchemeExtensionSchema } from "./extension-schema.ts";
import { checkAgainstSchema } from "./schema-check.ts";
import type { SourceSet } from "./sources.ts";
import { checkStrayTemplates, checkTemplates } from "./templates.ts";

export function checkExtensions(document: Record<string, any>, sources: SourceSet): BuildError[] {
  const errors = checkAgainstSchema({
    schema: rootExtensionSchema,
    value: document["x-portico"] ?? {},
    pointer: "/x-portico",
    sources,
    subject: "x-portico",
    hint: "The keys the document's x-portico takes are in docs/x-portico-reference.md (`npx portico reference` prints it).",
  });
  for (const [name, scheme] of Object.entries<any>(document.components?.securitySchemes ?? {})) {
    if (scheme?.["x-portico"] === undefined) continue;
    const pointer = joinPointer("/components/securitySchemes", name, "x-portico");
    errors.push(
      ...checkAgainstSchema({
        schema: securitySchemeExtensionSchema,
        value: scheme["x-portico"],
        pointer,
        sources,
        subject: `x-portico of security scheme "${name}"`,
        hint: "The keys a scheme's x-portico takes are in docs/authentication.md#a-security-schemes-x-portico (`npx portico reference` lists them too).",
      }),
    );
    errors.push(...checkTemplates(scheme["x-portico"], pointer, {}, sources));
  }
  errors.push(...checkTemplates(document["x-portico"] ?? {}, "/x-portico", {}, sources));
  errors.push(...checkStrayTemplates(document, sources));
  return errors;
}
