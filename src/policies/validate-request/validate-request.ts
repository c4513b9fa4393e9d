/**
 * @module
 * Request validation derived from the operation's parameters and requestBody:
 * parameters deserialized by their style and checked by the compiled
 * validators, the body read within a byte limit while it streams, and every
 * violation listed in one 400 problem.
 */
import { withBytes } from "../../runtime/body-limit.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { arrivedBody, decodeBody, readBytes, unsupported, type BodyRule } from "./body.ts";
import { isUtf8Label, matchMedia, parseMediaType } from "./media-type.ts";
import { readParameter, type ParameterRule, type Violation } from "./parameters.ts";
import { parseQuery, queryOf, type ParsedQuery } from "./raw-pairs.ts";
import { MAX_VIOLATIONS, validate, type Validator } from "../../runtime/validation/violations.ts";

/** What the build works out from the operation's parameters and requestBody. */
export interface ValidateRequestPrepared {
  parameters: Array<ParameterRule & { validator?: Validator }>;
  /** Absent: the operation takes no body. */
  body?: BodyRule;
  /** Bodies are read into memory to be checked; beyond this, 413. */
  maxBodyBytes: number;
  /** enforce: refuse what breaks the description; report: let it through and log what enforce would have answered. */
  mode: "enforce" | "report";
  /** A longer string is refused before any pattern is matched against it. */
  maxStringLength: number;
}

const TEXT_KINDS = new Set(["json", "form", "text"]);

async function checkBody(given: Request, options: ValidateRequestPrepared, violations: Violation[]): Promise<Request> {
  const { present, request } = await arrivedBody(given, options.maxBodyBytes);
  if (!options.body) {
    if (present) throw unsupported("This operation takes no request body.");
    return request;
  }
  if (!present) {
    if (options.body.required) violations.push({ in: "body", pointer: "", message: "A request body is required." });
    return request;
  }
  const declared = options.body.media.map((m) => m.range).join(", ");
  const header = request.headers.get("content-type");
  // RFC 9110 §8.3: a body without a type may be taken as application/octet-stream.
  const media = header === null ? { type: "application/octet-stream", charset: undefined } : parseMediaType(header);
  const rule = media && matchMedia(media.type, options.body.media);
  if (!media)
    throw unsupported(
      `The Content-Type header cannot be read (type/subtype, then parameters written name=value, each once): this operation takes ${declared}.`,
    );
  if (!rule && header === null) throw unsupported(`Send a Content-Type header: this operation takes ${declared}.`);
  if (!rule) throw unsupported(`${media.type} is not accepted here: this operation takes ${declared}.`);
  if (TEXT_KINDS.has(rule.kind) && media.charset && !isUtf8Label(media.charset)) {
    throw unsupported(`The charset ${media.charset} is not accepted: send UTF-8.`);
  }
  // Nothing to check in it: the body streams on unread, whatever its size.
  if (!rule.validator) return request;
  // The body is checked as its bytes stand; an upstream that decodes a Content-Encoding first would read
  // what was never checked (RFC 9110 §15.5.16: 415 for a coding the server does not take).
  const coding = request.headers.get("content-encoding");
  if (coding !== null && coding.trim().toLowerCase() !== "identity") {
    throw unsupported(`Content-Encoding ${coding} is not accepted here: send the body uncompressed, as it is checked.`);
  }
  const bytes = await readBytes(request, options.maxBodyBytes);
  // A chunked body with no chunk in it: framed as a body, empty as none.
  if (bytes.byteLength === 0 && !options.body.required) return new Request(request, { body: null });
  const decoded = await decodeBody(bytes, rule, header!, options.body.formLimits);
  if ("error" in decoded) {
    violations.push({ in: "body", pointer: decoded.pointer ?? "", message: decoded.error });
    return request;
  }
  const read = decoded.violations ?? [];
  violations.push(...read);
  if (decoded.validate) {
    const reported = new Set(read.map((v) => v.pointer));
    violations.push(...validate(rule.validator, decoded.value, { in: "body" }, options.maxStringLength).filter((v) => !reported.has(v.pointer)));
  }
  if (decoded.form) return await withForm(request, decoded.form);
  // The stream is spent: hand on the same bytes.
  return withBytes(request, bytes);
}

/**
 * The multipart body sent on is the one that was checked, written anew: parts
 * hidden where another parser would still look (after the closing delimiter,
 * say) never reach the upstream. The new body brings its own boundary, and
 * is written out here so that it goes upstream with its length.
 */
async function withForm(request: Request, form: FormData): Promise<Request> {
  const written = new Response(form);
  return withBytes(request, await written.arrayBuffer(), written.headers.get("content-type")!);
}

/** What validateRequestOf reads of the operation's rules, settled at set-up. */
interface Checks {
  options: ValidateRequestPrepared;
  /** Whether any parameter is in the query: an operation without one never splits it. */
  readsQuery: boolean;
}

/** The query of an operation that declares no query parameter: nothing in it is read. */
const UNREAD_QUERY: ParsedQuery = { byKey: new Map(), overflow: false };

export const validateRequest = defineBuiltin<Record<string, never>, ValidateRequestPrepared>({
  create: ({ prepared }) => {
    const checks: Checks = { options: prepared, readsQuery: prepared.parameters.some((rule) => rule.in === "query") };
    return {
      inbound: prepared.mode === "report" ? (request, ctx) => reportOnly(request, ctx, checks) : (request, ctx) => validateRequestOf(request, ctx, checks),
    };
  },
});

/**
 * Report mode: the whole check runs on a copy (a body is read from a tee of
 * the stream), and the request goes on as it came, whatever the check found;
 * what enforce mode would have answered is logged as one line.
 */
async function reportOnly(request: Request, ctx: GatewayContext, checks: Checks): Promise<Request> {
  try {
    await validateRequestOf(request.clone(), ctx, checks);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    const { status, type } = error.kind;
    const errors = (error.extra?.errors as Violation[] | undefined) ?? [];
    ctx.log.warn("request would be refused", {
      validation: { operationId: ctx.route.operationId, status, type, detail: error.detail, errors, consumer: ctx.consumer?.id ?? null },
    });
  }
  return request;
}

async function validateRequestOf(request: Request, ctx: GatewayContext, { options, readsQuery }: Checks): Promise<Request> {
  const violations: Violation[] = [];
  // Split once here for every query parameter; read from the URL's text, as a URL parse costs more than the check.
  const query = readsQuery ? parseQuery(queryOf(request.url)) : UNREAD_QUERY;
  const input = { query, headers: request.headers, pathParams: ctx.params };
  for (const rule of options.parameters) {
    const read = readParameter(rule, input);
    if (read.violation) violations.push(read.violation);
    else if (read.value !== undefined && rule.validator) {
      violations.push(...validate(rule.validator, read.value, { in: rule.in, name: rule.name }, options.maxStringLength));
    }
  }
  const checked = await checkBody(request, options, violations);
  if (violations.length > 0) {
    const errors = violations.slice(0, MAX_VIOLATIONS);
    const more = violations.length > errors.length ? ` (the first ${errors.length} are listed)` : "";
    throw new GatewayError(PROBLEM.validation, `The request does not match the API description: ${violations.length} problem(s)${more}.`, undefined, {
      errors,
    });
  }
  return checked;
}
