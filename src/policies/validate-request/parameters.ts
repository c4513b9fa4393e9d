/**
 * @module
 * Request parameters as an operation declares them: the raw strings of the
 * path, query, headers and cookies deserialized per their OpenAPI `style` and
 * `explode`, then coerced to the JSON types of their schema, for the validator.
 *
 * Work is bounded: at most MAX_QUERY_PAIRS query pairs or cookies and
 * MAX_ITEMS items per value are ever read.
 */
import { coerce } from "./coerce.ts";
import { parseJson } from "../../runtime/validation/json-guard.ts";
import { cookieJar, formDecode, MAX_QUERY_PAIRS, percentDecode, Unreadable, withoutNul, type ParsedQuery } from "./raw-pairs.ts";
import { deepObject, explodedObject, label, matrix, pairsToObject, type Raw, simple, single, splitRaw } from "./styles.ts";

export { MAX_ITEMS } from "./styles.ts";
export { MAX_QUERY_PAIRS } from "./raw-pairs.ts";

export type ParameterLocation = "path" | "query" | "header" | "cookie";

/** The JSON types a raw string may become; the same for the items of an array and the properties of an object. */
export interface Coercion {
  types: string[];
  items?: Coercion;
  properties?: Record<string, Coercion>;
  additional?: Coercion;
}

/** How one declared parameter is read, worked out at build time from its Parameter Object. */
export interface ParameterRule {
  name: string;
  in: ParameterLocation;
  required: boolean;
  style: string;
  explode: boolean;
  /** Query only: an empty value stands for a parameter sent without a value, read as present with no value to validate. */
  allowEmptyValue?: boolean;
  /** What the schema wants, for deserializing and coercing. */
  shape: "primitive" | "array" | "object";
  coerce: Coercion;
  /** Set for content-typed parameters: the raw value is parsed as JSON (application/json, +json) or kept as text. */
  content?: "json" | "text";
  /** Keys of the operation's other parameters in the same place: an exploded free-form object leaves them alone. */
  excludeKeys?: string[];
}

export interface Violation {
  in: ParameterLocation | "body";
  name?: string;
  pointer?: string;
  message: string;
}

export interface ParameterInput {
  /** The query split into pairs once for all of a request's parameters (parseQuery). */
  query: ParsedQuery;
  headers: Headers;
  /** Already percent-decoded by the router. */
  pathParams: Readonly<Record<string, string>>;
}

/**
 * `present` without `value` is a query parameter sent empty under `allowEmptyValue`:
 * it counts as given, and there is nothing to validate.
 */
export interface ParameterRead {
  value?: unknown;
  present: boolean;
  violation?: Violation;
}

const EMPTY = Symbol("empty value");

const LABELS: Record<ParameterLocation, string> = { path: "Path", query: "Query", header: "Header", cookie: "Cookie" };

/** Deserializes and coerces one parameter; `undefined` value when absent. */
export function readParameter(rule: ParameterRule, input: ParameterInput): ParameterRead {
  try {
    const raw = READERS[rule.in](rule, input);
    if (raw === undefined) {
      return rule.required ? { present: false, violation: violation(rule, "is required") } : { present: false };
    }
    if (raw === EMPTY) return { present: true };
    if (rule.content) return { present: true, value: parseContent(raw as string, rule.content) };
    return { present: true, value: coerce(raw, rule.coerce) };
  } catch (error) {
    if (error instanceof Unreadable) return { present: true, violation: violation(rule, error.message) };
    throw error;
  }
}

function violation(rule: ParameterRule, problem: string): Violation {
  return { in: rule.in, name: rule.name, message: `${LABELS[rule.in]} parameter "${rule.name}" ${problem}.` };
}

type Reader = (rule: ParameterRule, input: ParameterInput) => Raw | typeof EMPTY | undefined;

const READERS: Record<ParameterLocation, Reader> = {
  query(rule, { query }) {
    if (query.overflow) throw new Unreadable(`cannot be read: the query string has more than ${MAX_QUERY_PAIRS} parameters`);
    if (rule.style === "deepObject" && !rule.content) return deepObject(rule, query.byKey);
    // spaceDelimited and pipeDelimited with explode are undefined in OpenAPI; they read as form with explode.
    if (rule.shape === "object" && rule.explode && !rule.content) return explodedObject(rule, query.byKey, formDecode);
    const values = query.byKey.get(rule.name);
    if (!values) return undefined;
    if (rule.allowEmptyValue && values.length === 1 && values[0] === "") return EMPTY;
    if (rule.content || rule.shape === "primitive") return formDecode(single(values));
    if (rule.shape === "array" && rule.explode) return values.map(formDecode);
    const parts = splitRaw(single(values), QUERY_DELIMITERS[rule.style] ?? ",").map(formDecode);
    return rule.shape === "array" ? parts : pairsToObject(parts);
  },

  path(rule, { pathParams }) {
    if (!Object.hasOwn(pathParams, rule.name)) return undefined;
    const value = withoutNul(pathParams[rule.name]);
    if (rule.content) return value;
    if (rule.style === "label") return label(rule, value);
    if (rule.style === "matrix") return matrix(rule, value);
    return simple(rule, value, (part) => part);
  },

  // Header values are never percent-decoded (OpenAPI 3.1.2); a combined list may carry spaces after commas.
  header(rule, { headers }) {
    const value = headers.get(rule.name);
    if (value === null) return undefined;
    if (rule.content) return value;
    return simple(rule, value, (part) => part.replace(/^[ \t]+|[ \t]+$/g, ""));
  },

  cookie(rule, { headers }) {
    const jar = cookieJar(headers.get("cookie") ?? "");
    if (rule.shape === "object" && rule.explode && !rule.content) return explodedObject(rule, jar, percentDecode);
    const values = jar.get(rule.name);
    if (!values) return undefined;
    if (rule.shape === "array" && rule.explode && !rule.content) return values.map(percentDecode);
    // Sent twice (a browser sends one of a name per matching path), a cookie is refused as a
    // query parameter is: checking one and forwarding both would let the upstream read the other.
    const value = single(values);
    // A text or JSON cookie is taken as sent: percent-encoding belongs to the form style only.
    if (rule.content) return withoutNul(value);
    if (rule.shape === "primitive") return percentDecode(value);
    const parts = splitRaw(value, ",").map(percentDecode);
    return rule.shape === "array" ? parts : pairsToObject(parts);
  },
};

/** Delimiters of non-exploded query arrays and objects, matched in the raw (still encoded) value. */
const QUERY_DELIMITERS: Record<string, string | RegExp> = {
  form: ",",
  spaceDelimited: /%20|\+| /i,
  pipeDelimited: /%7C|\|/i,
};

/** JSON parameters get the body's guards: duplicate keys, depth, lone surrogates and overflowing numbers are refused. */
function parseContent(raw: string, content: "json" | "text"): unknown {
  if (content === "text") return raw;
  const parsed = parseJson(raw);
  if ("value" in parsed) return parsed.value;
  if (parsed.malformed) throw new Unreadable("is not valid JSON");
  throw new Unreadable(`is refused: ${parsed.error[0].toLowerCase()}${parsed.error.slice(1).replace(/\.$/, "")}`);
}
