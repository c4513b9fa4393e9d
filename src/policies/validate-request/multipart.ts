/**
 * @module
 * A multipart/form-data body read by the runtime's own parser: its text parts
 * become fields (read like form fields, bracketed names included), its file
 * parts are checked against what the schema and the Encoding Object declare,
 * and the parsed form is what is sent on (see validate-request.ts).
 */
import type { Violation } from "./parameters.ts";
import { type FieldEncoding, readForm, type FieldSyntax, type FormRule } from "./form-fields.ts";
import { escapeToken, FormError, type FormLimits } from "./form-tree.ts";
import { inRanges } from "./media-type.ts";

export interface MultipartRule extends FormRule {
  /** Properties whose parts are files (format binary, or a contentMediaType), alone or as a list. */
  files?: string[];
}

export type MultipartRead = { value: Record<string, unknown>; violations: Violation[]; form: FormData } | { error: string; pointer?: string };

/** Part values are the text sent: nothing is percent-encoded. */
const PLAIN: FieldSyntax = { percentEncoded: false, decode: (raw) => raw };

/** The property a part belongs to: `documents[0]` belongs to `documents`. */
function propertyOf(name: string): string {
  const open = name.indexOf("[");
  return open > 0 ? name.slice(0, open) : name;
}

function partTypeViolation(name: string, file: File, encoding: FieldEncoding | undefined): Violation | undefined {
  if (!encoding?.partTypes) return undefined;
  // RFC 7578 §4.4: a file part without a Content-Type is application/octet-stream.
  const type = file.type.split(";")[0].trim().toLowerCase() || "application/octet-stream";
  if (inRanges(type, encoding.partTypes)) return undefined;
  return { in: "body", pointer: `/${escapeToken(name)}`, message: `must be sent as ${encoding.partTypes.join(" or ")}, not ${type}` };
}

export async function readMultipart(bytes: ArrayBuffer, contentType: string, rule: MultipartRule, limits: FormLimits): Promise<MultipartRead> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    return { error: "The body is not valid multipart/form-data." };
  }
  const files = new Set(rule.files);
  const fields: Array<[string, string]> = [];
  const violations: Violation[] = [];
  let parts = 0;
  for (const [name, part] of form) {
    if (++parts > limits.maxKeys) return { error: `The body has more than ${limits.maxKeys} parts.`, pointer: "" };
    const property = propertyOf(name);
    const isFile = typeof part !== "string";
    if (files.has(property)) {
      // A text part where a file is declared would reach the upstream as something else than the schema says.
      if (!isFile) violations.push({ in: "body", pointer: `/${escapeToken(name)}`, message: "must be a file" });
      else {
        const wrongType = partTypeViolation(name, part, rule.encoding && Object.hasOwn(rule.encoding, property) ? rule.encoding[property] : undefined);
        if (wrongType) violations.push(wrongType);
      }
      // A file stands in the validated object as an empty string: its presence is what the schema can check.
      fields.push([name, ""]);
    } else if (isFile) {
      violations.push({ in: "body", pointer: `/${escapeToken(name)}`, message: "must be a value, not a file" });
    } else {
      fields.push([name, part]);
    }
  }
  try {
    return { value: readForm(fields, rule, PLAIN, limits), violations, form };
  } catch (error) {
    if (error instanceof FormError) return { error: error.message, pointer: error.pointer };
    throw error;
  }
}
