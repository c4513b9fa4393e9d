/**
 * @module
 * How the fields of a form-urlencoded or multipart body are read, worked out
 * from its Media Type Object: property types (as deep as the form limits let a
 * field nest), each property's Encoding Object with OpenAPI's defaults filled
 * in, the members of exploded form-style objects, and which parts are files.
 */
import { isJsonMediaType } from "../../handlers/mock/options.ts";
import type { FieldEncoding } from "../../policies/validate-request/form-fields.ts";
import type { FormLimits } from "../../policies/validate-request/form-tree.ts";
import type { MultipartRule } from "../../policies/validate-request/multipart.ts";
import { joinPointer } from "../errors.ts";
import { schemaCoercion } from "./schema-coercion.ts";

type Deref = (value: unknown) => any;

export interface FormBodyIssue {
  pointer: string;
  message: string;
  hint: string;
}

const STYLES: ReadonlyArray<FieldEncoding["style"]> = ["form", "spaceDelimited", "pipeDelimited", "deepObject"];

/** Schemas visited per body: enough for the largest request bodies of real documents (Stripe's: a few hundred). */
const MAX_VISITS = 20_000;

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === "object" && !Array.isArray(value);

const isFileSchema = (schema: any) => schema?.format === "binary" || schema?.contentMediaType !== undefined;

/** Properties sent as files: binary strings (3.0 style) or with a contentMediaType (3.1), alone or as a list. */
function fileProperties(schema: any, deref: Deref): string[] {
  const properties = deref(schema)?.properties ?? {};
  return Object.keys(properties).filter((name) => {
    const property = deref(properties[name]);
    return isFileSchema(property) || isFileSchema(deref(property?.items));
  });
}

/** `image/png, image/jpeg; q=1` → the ranges, lowercased, without parameters. */
function mediaRanges(contentType: unknown): string[] | undefined {
  if (typeof contentType !== "string") return undefined;
  const ranges = contentType
    .split(",")
    .map((range) => range.split(";")[0].trim().toLowerCase())
    .filter(Boolean);
  return ranges.length > 0 ? ranges : undefined;
}

export interface FormBodyInput {
  kind: "form" | "multipart";
  /** The Media Type Object, dereferenced, and where it stands. */
  media: Record<string, any>;
  pointer: string;
  deref: Deref;
  limits: FormLimits;
}

/** The rule, and what the build reports about the Encoding Object (errors refuse the build; warnings do not). */
export function formBodyRule({ kind, media, pointer, deref, limits }: FormBodyInput): {
  rule: MultipartRule;
  errors: FormBodyIssue[];
  warnings: FormBodyIssue[];
} {
  const errors: FormBodyIssue[] = [];
  const warnings: FormBodyIssue[] = [];
  // A field nests `maxDepth` levels below its property, itself one level below the body.
  const coerce = schemaCoercion(media.schema, deref, { maxDepth: limits.maxDepth + 1, maxVisits: MAX_VISITS });
  const rule: MultipartRule = { coerce };
  const files = kind === "multipart" ? fileProperties(media.schema, deref) : [];
  if (files.length > 0) rule.files = files;
  const encodings = deref(media.encoding);
  if (!isObject(encodings)) return { rule, errors, warnings };
  const encoding: Record<string, FieldEncoding> = {};
  const members: Record<string, string> = {};
  for (const [name, raw] of Object.entries(encodings)) {
    const declared = deref(raw);
    const at = joinPointer(pointer, "encoding", name);
    if (!isObject(declared)) continue;
    const style = declared.style ?? "form";
    if (!STYLES.includes(style)) {
      errors.push({
        pointer: at,
        message: `The encoding of "${name}" has style ${JSON.stringify(style)}, which a form body does not define.`,
        hint: `Use ${STYLES.join(", ")}.`,
      });
      continue;
    }
    const field: FieldEncoding = { style, explode: typeof declared.explode === "boolean" ? declared.explode : style === "form" };
    const ranges = mediaRanges(declared.contentType);
    // OpenAPI 3.1.1 §4.8.15: with style, explode or allowReserved present, contentType does not say how the value is written.
    const styled = "style" in declared || "explode" in declared || "allowReserved" in declared;
    if (ranges && !styled && ranges.every(isJsonMediaType)) field.json = true;
    if (ranges && files.includes(name)) field.partTypes = ranges;
    encoding[name] = field;
    const types = coerce.properties && Object.hasOwn(coerce.properties, name) ? coerce.properties[name] : undefined;
    if (field.style === "form" && field.explode && !field.json && types?.types.includes("object") && !types.types.includes("array")) {
      for (const member of Object.keys(types.properties ?? {})) {
        if (!Object.hasOwn(coerce.properties!, member) && !Object.hasOwn(members, member)) members[member] = name;
      }
    }
    if (declared.headers !== undefined && kind === "multipart") {
      warnings.push({
        pointer: joinPointer(at, "headers"),
        message: `The part headers declared for "${name}" are not checked, and do not reach the upstream: the multipart body is sent on as it was read, each part with its name, filename and Content-Type alone.`,
        hint: "Carry what these headers say in fields of the form, or turn validation off for the operation (x-portico: { validate: false }) to pass the body on as sent.",
      });
    }
  }
  rule.encoding = encoding;
  if (Object.keys(members).length > 0) rule.members = members;
  return { rule, errors, warnings };
}
