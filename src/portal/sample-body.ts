/**
 * @module
 * An operation's request bodies as samples send them, one per media type it
 * accepts: JSON as text; application/x-www-form-urlencoded as the pairs the
 * media type's `encoding` object asks for (deepObject brackets by default,
 * Stripe's `metadata[plan]=pro`), through the same serialiser that synthesised
 * requests use; multipart/form-data as parts, files among them.
 */
import { formPairs } from "../synthesize/serialise.ts";
import { isObject, text } from "../synthesize/document.ts";
import { resolve } from "./refs.ts";
import { sampleBody } from "./examples.ts";

export type BodyKind = "json" | "form" | "multipart" | "text" | "binary";

export interface SampleBody {
  mediaType: string;
  kind: BodyKind;
  /** The value to send; undefined when there is none to show (a file, a schema-less body). */
  value: unknown;
  media: Record<string, any>;
  required: boolean;
}

/** One part of a multipart body: a file (sent from disk) or a field's text. */
export interface Part {
  name: string;
  value?: string;
  fileName?: string;
  contentType?: string;
}

/** HAR's postData, what the snippet library prints bodies from. */
export interface PostData {
  mimeType: string;
  text?: string;
  params?: Part[];
}

export function kindOf(mediaType: string): BodyKind {
  const base = mediaType.split(";")[0].trim().toLowerCase();
  if (/[/+]json$/.test(base)) return "json";
  if (base === "application/x-www-form-urlencoded") return "form";
  if (base === "multipart/form-data") return "multipart";
  if (base.startsWith("text/") || /[/+]xml$/.test(base)) return "text";
  return "binary";
}

const ORDER: BodyKind[] = ["json", "form", "multipart", "text", "binary"];

/** Every media type of the request body, the one samples use first (JSON, then the forms, text, anything else). */
export function requestBodies(document: Record<string, any>, operation: Record<string, any>): SampleBody[] {
  const body = resolve(document, operation.requestBody);
  if (!isObject(body?.content)) return [];
  const bodies = Object.entries<unknown>(body.content)
    // A range such as */* or image/* names no type a client can send.
    .filter(([mediaType]) => !mediaType.includes("*"))
    .map(([mediaType, raw]) => {
      const media = resolve(document, raw) ?? {};
      const kind = kindOf(mediaType);
      return { mediaType, kind, value: kind === "binary" ? undefined : sampleBody(document, media, mediaType), media, required: body.required === true };
    });
  return bodies.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

/** The body's form pairs, as the media type's encoding says. */
export function formFields(body: SampleBody): Array<[string, string]> {
  return formPairs(isObject(body.value) ? body.value : {}, body.media.encoding);
}

/** Whether a multipart property is a file: binary or encoded content. */
function isFile(document: Record<string, any>, schema: unknown): boolean {
  const own: Record<string, any> = resolve(document, schema) ?? {};
  const item = own.type === "array" ? (resolve(document, own.items) ?? {}) : own;
  return item.format === "binary" || item.format === "byte" || item.contentMediaType !== undefined || item.contentEncoding !== undefined;
}

const EXTENSIONS: Record<string, string> = {
  "application/json": "json",
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "text/plain": "txt",
  "text/csv": "csv",
};

/** The parts of a multipart body: a file where the schema says so, named after its field; each array item its own part. */
export function multipartParts(document: Record<string, any>, body: SampleBody): Array<Part & { multiple?: boolean }> {
  const schema = resolve(document, body.media.schema) ?? {};
  const properties = isObject(schema.properties) ? schema.properties : {};
  const value = isObject(body.value) ? body.value : {};
  const parts: Array<Part & { multiple?: boolean }> = [];
  for (const name of new Set([...Object.keys(value), ...Object.keys(properties).filter((key) => isFile(document, properties[key]))])) {
    const encoding = isObject(body.media.encoding?.[name]) ? body.media.encoding[name] : {};
    const declared = typeof encoding.contentType === "string" ? encoding.contentType.split(",")[0].trim() : undefined;
    if (isFile(document, properties[name])) {
      const own = resolve(document, properties[name]) ?? {};
      const contentType =
        declared && !declared.includes("*") ? declared : (own.contentMediaType ?? resolve(document, own.items)?.contentMediaType ?? "application/octet-stream");
      parts.push({ name, fileName: `${name.replace(/\W+/g, "_")}.${EXTENSIONS[contentType] ?? "bin"}`, contentType, multiple: own.type === "array" });
      continue;
    }
    const item = value[name];
    if (Array.isArray(item) && !(declared && /json/.test(declared))) for (const entry of item) parts.push({ name, value: text(entry) });
    else parts.push({ name, value: text(item) });
  }
  return parts;
}

/** What the snippet library needs to print the body; undefined for a body it cannot write (a file sent as the whole body). */
export function postData(document: Record<string, any>, body: SampleBody): PostData | undefined {
  const mimeType = body.mediaType;
  switch (body.kind) {
    case "json":
      return { mimeType, text: JSON.stringify(body.value ?? {}) };
    case "form":
      // Pairs, so that each client writes them its own way (curl --data-urlencode, a dict in Python, FormBody in Java).
      return { mimeType, params: formFields(body).map(([name, value]) => ({ name, value })) };
    case "multipart":
      return { mimeType, params: multipartParts(document, body).map(({ multiple: _, ...part }) => part) };
    case "text":
      return body.value === undefined ? undefined : { mimeType, text: typeof body.value === "string" ? body.value : JSON.stringify(body.value) };
    default:
      return undefined;
  }
}
