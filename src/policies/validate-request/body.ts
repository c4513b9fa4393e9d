/**
 * @module
 * Reads a request body by its media type, within a byte limit enforced while
 * it streams: JSON (and +json), form-urlencoded and multipart become values
 * to validate; other media types are only checked against what is declared.
 */
import { fromClient } from "../../runtime/client-body.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { declaredLength, limitBody, withBytes } from "../../runtime/body-limit.ts";
import { parseJson } from "../../runtime/validation/json-guard.ts";
import type { Validator } from "../../runtime/validation/violations.ts";
import { readForm } from "./form-fields.ts";
import { DEFAULT_FORM_LIMITS, FormError, type FormLimits } from "./form-tree.ts";
import { type MultipartRule, readMultipart } from "./multipart.ts";
import type { Violation } from "./parameters.ts";
import { URLENCODED, urlencodedFields } from "./urlencoded.ts";

/** One declared media type; form and multipart ones carry how their fields are read. */
export interface MediaRule extends MultipartRule {
  /** The media range as declared: `application/json`, `image/*`, `*\/*`. */
  range: string;
  kind: "json" | "form" | "multipart" | "text" | "binary";
  /** The body schema's validator, if it has a schema. */
  validator?: Validator;
}

export interface BodyRule {
  required: boolean;
  media: MediaRule[];
  /** Bounds on reading form and multipart bodies; DEFAULT_FORM_LIMITS when absent. */
  formLimits?: FormLimits;
}

/**
 * Whether the request carries a body, decided by its framing: Transfer-Encoding
 * frames one whatever Content-Length says (RFC 9112 §6.3), and a Content-Length
 * of 0 is believed only once the stream proves empty. workerd drops the
 * Content-Length of a chunked request, but a request a policy rebuilt (or one a
 * caller made in code) may still claim 0 over a body that would otherwise go
 * upstream unchecked. The request returned replaces the one given, whose body
 * that proof has read. A GET or HEAD is not read: its body is never sent on.
 */
export async function arrivedBody(request: Request, maxBytes: number): Promise<{ present: boolean; request: Request }> {
  if (request.body === null) return { present: false, request };
  if (request.headers.has("transfer-encoding") || declaredLength(request) !== 0) return { present: true, request };
  // A GET's or HEAD's body never goes upstream (and no Request with one can be made again).
  if (request.method === "GET" || request.method === "HEAD") return { present: false, request };
  const bytes = await fromClient(limitBody(request, maxBytes).arrayBuffer());
  if (bytes.byteLength === 0) return { present: false, request: new Request(request, { body: null }) };
  return { present: true, request: withBytes(request, bytes) };
}

/**
 * `violations` are found while reading (a file where a value belongs, say);
 * `form` is the multipart body as it was read and checked, to be sent on in place of the bytes.
 * `{ error }` is a 400, at `pointer` when the error is about one field (the whole body otherwise).
 */
export type BodyRead = { value: unknown; validate: boolean; violations?: Violation[]; form?: FormData } | { error: string; pointer?: string };

/** Reads a body at most `maxBytes` long; more throws the 413 GatewayError, while streaming. */
export async function readBytes(request: Request, maxBytes: number): Promise<ArrayBuffer> {
  const declared = declaredLength(request);
  // HTTP framing already ends a body at its Content-Length: the counting stream
  // (several times the cost of a plain read) is only needed without one.
  if (declared !== undefined && declared <= maxBytes) return fromClient(request.arrayBuffer());
  return fromClient(limitBody(request, maxBytes).arrayBuffer());
}

/** Turns the bytes of a body into the value its schema is checked against. */
export async function decodeBody(bytes: ArrayBuffer, rule: MediaRule, contentType: string, limits: FormLimits = DEFAULT_FORM_LIMITS): Promise<BodyRead> {
  if (rule.kind === "binary") return { value: undefined, validate: false };
  if (rule.kind === "multipart") {
    const read = await readMultipart(bytes, contentType, rule, limits);
    return "error" in read ? read : { ...read, validate: true };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { error: "The body is not valid UTF-8." };
  }
  if (rule.kind === "text") return { value: text, validate: true };
  if (rule.kind === "form") {
    try {
      return { value: readForm(urlencodedFields(text, limits.maxKeys), rule, URLENCODED, limits), validate: true };
    } catch (error) {
      if (error instanceof FormError) return { error: error.message, pointer: error.pointer };
      throw error;
    }
  }
  const parsed = parseJson(text);
  return "error" in parsed ? { error: parsed.error.slice(0, 300) } : { value: parsed.value, validate: true };
}

export function unsupported(detail: string): GatewayError {
  return new GatewayError(PROBLEM.unsupportedMediaType, detail);
}
