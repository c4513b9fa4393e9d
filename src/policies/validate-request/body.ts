/**
 * @module
 * Reads a request body by its media type, within a byte limit enforced while
 * it streams: JSON (and +json), form-urlencoded and multipart become values
 * to validate; other media types are only checked against what is declared.
 */
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { declaredLength, limitBody } from "../../runtime/body-limit.ts";
import { parseJson } from "../../runtime/validation/json-guard.ts";
import type { Validator } from "../../runtime/validation/violations.ts";
import { coerceScalar, propertyCoercion } from "./coerce.ts";
import type { Coercion, Violation } from "./parameters.ts";

export interface MediaRule {
  /** The media range as declared: `application/json`, `image/*`, `*\/*`. */
  range: string;
  kind: "json" | "form" | "multipart" | "text" | "binary";
  /** The body schema's validator, if it has a schema. */
  validator?: Validator;
  /** Property types, for form fields (which arrive as strings). */
  coerce?: Coercion;
  /** Properties that are files (format binary, or contentMediaType). */
  files?: string[];
}

export interface BodyRule {
  required: boolean;
  media: MediaRule[];
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
// RFC 9110 §5.6.4: qdtext or a backslash pair; the two alternatives never overlap, so matching stays linear.
const QUOTED = /"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"/y;
const OWS = /[ \t]*/y;

function match(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/**
 * A Content-Type read strictly by RFC 9110 §8.3: `type/subtype`, then `;`
 * parameters written `name=token` or `name="quoted"`, whitespace only around
 * the `;`, each name once. Anything else is undefined: two parsers that read a
 * doubled boundary or charset differently must never both get the body.
 */
export function parseMediaType(header: string | null): { type: string; charset?: string } | undefined {
  if (!header) return undefined;
  const major = match(TOKEN, header, 0);
  const minor = major && header[major.length] === "/" ? match(TOKEN, header, major.length + 1) : undefined;
  if (!major || !minor) return undefined;
  const parameters = new Map<string, string>();
  let at = major.length + 1 + minor.length;
  for (;;) {
    at += match(OWS, header, at)!.length;
    if (at === header.length) break;
    if (header[at] !== ";") return undefined;
    at += 1 + match(OWS, header, at + 1)!.length;
    if (at === header.length || header[at] === ";") continue;
    const name = match(TOKEN, header, at);
    if (!name || header[at + name.length] !== "=") return undefined;
    at += name.length + 1;
    const raw = match(TOKEN, header, at) ?? match(QUOTED, header, at);
    if (raw === undefined || parameters.has(name.toLowerCase())) return undefined;
    parameters.set(name.toLowerCase(), raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
    at += raw.length;
  }
  return { type: `${major}/${minor}`.toLowerCase(), charset: parameters.get("charset")?.toLowerCase() };
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

/**
 * `violations` are found while reading (a file where a value belongs, say);
 * `form` is the multipart body as it was read and checked, to be sent on in place of the bytes.
 */
export type BodyRead = { value: unknown; validate: boolean; violations?: Violation[]; form?: FormData } | { error: string };

const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

/** Sets an own property: a field named `__proto__` is data, never the object's prototype. */
function define(object: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
}

function fieldsToObject(entries: Iterable<[string, string]>, coercion: Coercion | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of entries) {
    const wanted = propertyCoercion(coercion, name);
    const many = wanted?.types.includes("array");
    const structured = !many && wanted?.types.includes("object") && raw.trimStart().startsWith("{");
    let value: unknown = structured ? parseJson(raw) : coerceScalar(raw, many ? (wanted?.items?.types ?? []) : (wanted?.types ?? []));
    if (structured) value = "value" in (value as object) ? (value as { value: unknown }).value : raw;
    const earlier = Object.hasOwn(out, name) ? out[name] : undefined;
    if (many) define(out, name, [...((earlier as unknown[] | undefined) ?? []), value]);
    else define(out, name, earlier === undefined ? value : [earlier, value].flat());
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
  const sentFiles: string[] = [];
  const violations: Violation[] = [];
  for (const [name, part] of form) {
    const isFile = typeof part !== "string";
    if (files.has(name)) {
      // A text part where a file is declared would reach the upstream as something else than the schema says.
      if (!isFile) violations.push({ in: "body", pointer: `/${escape(name)}`, message: "must be a file" });
      sentFiles.push(name);
    } else if (isFile) {
      violations.push({ in: "body", pointer: `/${escape(name)}`, message: "must be a value, not a file" });
    } else {
      fields.push([name, part]);
    }
  }
  const value = fieldsToObject(fields, rule.coerce);
  // A file stands in the validated object as an empty string: its presence is what the schema can check.
  for (const name of sentFiles) define(value, name, "");
  return { value, validate: true, violations, form };
}

export function unsupported(detail: string): GatewayError {
  return new GatewayError(PROBLEM.unsupportedMediaType, detail);
}
