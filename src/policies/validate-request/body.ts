/**
 * @module
 * Reads a request body by its media type, within a byte limit enforced while
 * it streams: JSON (and +json), form-urlencoded and multipart become values
 * to validate; other media types are only checked against what is declared.
 */
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { declaredLength, limitBody } from "../../runtime/body-limit.ts";
import { parseJson } from "./json-guard.ts";
import { coerceScalar } from "./coerce.ts";
import type { Coercion } from "./parameters.ts";

export interface MediaRule {
  /** The media range as declared: `application/json`, `image/*`, `*\/*`. */
  range: string;
  kind: "json" | "form" | "multipart" | "text" | "binary";
  /** Export name of the body schema's validator, if it has a schema. */
  validator?: string;
  /** Property types, for form fields (which arrive as strings). */
  coerce?: Coercion;
  /** Properties that are files (format binary, or contentMediaType). */
  files?: string[];
}

export interface BodyRule {
  required: boolean;
  media: MediaRule[];
}

export function parseMediaType(header: string | null): { type: string; charset?: string } | undefined {
  if (!header) return undefined;
  const [essence, ...params] = header.split(";");
  const type = essence.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined;
  const charset = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith("charset="))?.slice(8).replaceAll('"', "");
  return { type, charset };
}

/** The declared media type a request's Content-Type falls under: exact, then `type/*`, then `*\/*`. */
export function matchMedia(type: string, media: MediaRule[]): MediaRule | undefined {
  const major = type.split("/")[0];
  return media.find((m) => m.range === type) ?? media.find((m) => m.range === `${major}/*`) ?? media.find((m) => m.range === "*/*");
}

/** Whether the request carries a body at all. */
export function hasBody(request: Request): boolean {
  if (request.body === null) return false;
  const length = request.headers.get("content-length");
  return length === null || length.trim() !== "0";
}

export type BodyRead = { value: unknown; validate: boolean } | { error: string };

function fieldsToObject(entries: Iterable<[string, string]>, coercion: Coercion | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of entries) {
    const wanted = coercion?.properties?.[name] ?? coercion?.additional;
    const many = wanted?.types.includes("array");
    const structured = !many && wanted?.types.includes("object") && raw.trimStart().startsWith("{");
    let value: unknown = structured ? parseJson(raw) : coerceScalar(raw, many ? (wanted?.items?.types ?? []) : (wanted?.types ?? []));
    if (structured) value = "value" in (value as object) ? (value as { value: unknown }).value : raw;
    if (many) out[name] = [...((out[name] as unknown[]) ?? []), value];
    else out[name] = name in out ? [out[name], value].flat() : value;
  }
  return out;
}

/** Reads a body at most `maxBytes` long; more throws the 413 GatewayError, while streaming. */
export async function readBytes(request: Request, maxBytes: number): Promise<ArrayBuffer> {
  const declared = declaredLength(request);
  // HTTP framing already ends a body at its Content-Length: the counting stream
  // (several times the cost of a plain read) is only needed without one.
  if (declared !== undefined && declared <= maxBytes) return request.arrayBuffer();
  return limitBody(request, maxBytes).arrayBuffer();
}

/** Turns the bytes of a body into the value its schema is checked against; `{ error }` means 400. */
export async function decodeBody(bytes: ArrayBuffer, rule: MediaRule, contentType: string): Promise<BodyRead> {
  if (rule.kind === "binary") return { value: undefined, validate: false };
  if (rule.kind !== "multipart") {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      return { error: "The body is not valid UTF-8." };
    }
    if (rule.kind === "text") return { value: text, validate: true };
    if (rule.kind === "form") return { value: fieldsToObject(new URLSearchParams(text), rule.coerce), validate: true };
    const parsed = parseJson(text);
    return "error" in parsed ? { error: parsed.error.slice(0, 300) } : { value: parsed.value, validate: true };
  }
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    return { error: "The body is not valid multipart/form-data." };
  }
  const files = new Set(rule.files);
  const fields: Array<[string, string]> = [];
  const present: Record<string, unknown> = {};
  for (const [name, part] of form) {
    if (typeof part === "string") fields.push([name, part]);
    else if (!files.has(name)) return { error: `The part "${name}" is a file, but a value is expected there.` };
    // A file stands in the validated object as an empty string: its presence is what the schema can check.
    else present[name] = "";
  }
  return { value: { ...fieldsToObject(fields, rule.coerce), ...present }, validate: true };
}

export function unsupported(detail: string): GatewayError {
  return new GatewayError(PROBLEM.unsupportedMediaType, detail);
}
