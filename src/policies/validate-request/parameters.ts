/**
 * @module
 * Request parameters as an operation declares them: the raw strings of the
 * path, query, headers and cookies deserialized per their OpenAPI `style` and
 * `explode`, then coerced to the JSON types of their schema, for the validator.
 *
 * Coercion is strict: a string that is not exactly an integer, a JSON number or
 * `true`/`false` stays a string, so the validator reports the type mismatch.
 * Work is bounded: at most MAX_QUERY_PAIRS query pairs or cookies and
 * MAX_ITEMS items per value are ever read.
 */

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
  url: URL;
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

export const MAX_QUERY_PAIRS = 1000;
export const MAX_ITEMS = 1000;

/** Ends the reading of one parameter; its message completes "<Location> parameter "<name>" …". */
class Unreadable extends Error {}

/** A deserialized value before coercion. */
type Raw = string | Raw[] | { [key: string]: Raw };

/** A deepObject value while it is put together: objects as Maps, so that any key is only data. */
type Tree = string | Tree[] | Map<string, Tree>;

/** Bracket levels a deepObject key may have: `a[b][c]` has two. */
const MAX_NESTING = 8;

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
  query(rule, { url }) {
    const query = parsedQuery(url);
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
    // A text or JSON cookie is taken as sent: percent-encoding belongs to the form style only.
    if (rule.content) return withoutNul(values[0]);
    if (rule.shape === "array" && rule.explode) return values.map(percentDecode);
    // Browsers send the most specific cookie of a name first.
    if (rule.shape === "primitive") return percentDecode(values[0]);
    const parts = splitRaw(values[0], ",").map(percentDecode);
    return rule.shape === "array" ? parts : pairsToObject(parts);
  },
};

/** Delimiters of non-exploded query arrays and objects, matched in the raw (still encoded) value. */
const QUERY_DELIMITERS: Record<string, string | RegExp> = {
  form: ",",
  spaceDelimited: /%20|\+| /i,
  pipeDelimited: /%7C|\|/i,
};

interface ParsedQuery {
  search: string;
  /** Decoded key → raw values, in order of appearance. */
  byKey: Map<string, string[]>;
  overflow: boolean;
}

const parsedQueries = new WeakMap<URL, ParsedQuery>();

/** Splits the raw query string once per request; a key that does not decode names no parameter. */
function parsedQuery(url: URL): ParsedQuery {
  const search = url.search;
  const cached = parsedQueries.get(url);
  if (cached?.search === search) return cached;
  const byKey = new Map<string, string[]>();
  let pairs = 0;
  let overflow = false;
  for (let start = 1; start < search.length; ) {
    const amp = search.indexOf("&", start);
    const end = amp < 0 ? search.length : amp;
    if (end > start) {
      if (++pairs > MAX_QUERY_PAIRS) {
        overflow = true;
        break;
      }
      const pair = search.slice(start, end);
      const equals = pair.indexOf("=");
      const key = decodeOrUndefined((equals < 0 ? pair : pair.slice(0, equals)).replaceAll("+", " "));
      if (key !== undefined) {
        const raw = equals < 0 ? "" : pair.slice(equals + 1);
        const list = byKey.get(key);
        if (list) list.push(raw);
        else byKey.set(key, [raw]);
      }
    }
    start = end + 1;
  }
  const parsed = { search, byKey, overflow };
  parsedQueries.set(url, parsed);
  return parsed;
}

/** The Cookie header's `name=value` pairs; names are decoded as form style encodes them, values stay raw. */
function cookieJar(header: string): Map<string, string[]> {
  const jar = new Map<string, string[]>();
  for (const pair of header.split(";", MAX_QUERY_PAIRS)) {
    const equals = pair.indexOf("=");
    const name = equals < 0 ? undefined : decodeOrUndefined(pair.slice(0, equals).trim());
    if (name === undefined) continue;
    const value = pair.slice(equals + 1).trim();
    const list = jar.get(name);
    if (list) list.push(value);
    else jar.set(name, [value]);
  }
  return jar;
}

function decodeOrUndefined(text: string): string | undefined {
  try {
    return text.includes("%") ? decodeURIComponent(text) : text;
  } catch {
    return undefined;
  }
}

function percentDecode(raw: string): string {
  const decoded = decodeOrUndefined(raw);
  if (decoded === undefined) throw new Unreadable("has invalid percent-encoding");
  return withoutNul(decoded);
}

/** Query strings are form-urlencoded: a bare `+` is a space, `%2B` a plus. */
function formDecode(raw: string): string {
  return percentDecode(raw.replaceAll("+", " "));
}

function withoutNul(value: string): string {
  if (value.includes("\0")) throw new Unreadable("contains a NUL character");
  return value;
}

function single(values: string[]): string {
  if (values.length > 1) throw new Unreadable(`is given ${values.length} times; it takes one value`);
  return values[0];
}

/** An empty value is an empty list: what clients send for `[]`. */
function splitRaw(raw: string, delimiter: string | RegExp): string[] {
  if (raw === "") return [];
  const parts = raw.split(delimiter, MAX_ITEMS + 1);
  if (parts.length > MAX_ITEMS) throw new Unreadable(`has more than ${MAX_ITEMS} items`);
  return parts;
}

/** `R,100,G,200`, already split. */
function pairsToObject(parts: string[]): Record<string, string> {
  if (parts.length % 2 !== 0) throw new Unreadable("must list names and values in pairs, as R,100,G,200");
  const entries: Array<[string, string]> = [];
  for (let i = 0; i < parts.length; i += 2) entries.push([parts[i], parts[i + 1]]);
  return uniqueObject(entries);
}

/** `R=100`, `G=200`, already split. */
function keyValuesToObject(parts: string[]): Record<string, string> {
  return uniqueObject(
    parts.map((part) => {
      const equals = part.indexOf("=");
      if (equals < 0) throw new Unreadable(`has "${part}" where name=value belongs`);
      return [part.slice(0, equals), part.slice(equals + 1)];
    }),
  );
}

// Object.fromEntries defines own properties, so a key such as __proto__ is only data.
function uniqueObject<T>(entries: Array<[string, T]>): Record<string, T> {
  const seen = new Set<string>();
  for (const [key] of entries) {
    if (seen.has(key)) throw new Unreadable(`has "${key}" more than once`);
    seen.add(key);
  }
  return Object.fromEntries(entries);
}

function simple(rule: ParameterRule, value: string, clean: (part: string) => string): Raw {
  if (rule.shape === "primitive") return value;
  const parts = splitRaw(value, ",").map(clean);
  if (rule.shape === "array") return parts;
  return rule.explode ? keyValuesToObject(parts) : pairsToObject(parts);
}

/**
 * `.blue.black.brown`; without explode OpenAPI 3.1.1 (after RFC 6570) writes
 * `.blue,black,brown` where 3.1.0 wrote dots: a comma anywhere means commas.
 */
function label(rule: ParameterRule, value: string): Raw {
  if (!value.startsWith(".")) throw new Unreadable('must start with "." (label style)');
  const rest = value.slice(1);
  if (rule.shape === "primitive") return rest;
  const parts = splitRaw(rest, rule.explode || !rest.includes(",") ? "." : ",");
  if (rule.shape === "array") return parts;
  return rule.explode ? keyValuesToObject(parts) : pairsToObject(parts);
}

/** `;color=blue,black`, `;color=blue;color=black`, `;R=100;G=200`; a bare `;color` is empty. */
function matrix(rule: ParameterRule, value: string): Raw {
  if (!value.startsWith(";")) throw new Unreadable('must start with ";" (matrix style)');
  const segments = splitRaw(value.slice(1), ";");
  if (rule.shape === "object" && rule.explode) return keyValuesToObject(segments);
  const values: string[] = [];
  for (const segment of segments) {
    const equals = segment.indexOf("=");
    if ((equals < 0 ? segment : segment.slice(0, equals)) !== rule.name) {
      throw new Unreadable(`must be written ;${rule.name}=value (matrix style)`);
    }
    if (equals >= 0) values.push(segment.slice(equals + 1));
  }
  if (segments.length === 0) throw new Unreadable(`must be written ;${rule.name}=value (matrix style)`);
  if (rule.shape === "array" && rule.explode) return values;
  const joined = single(values.length ? values : [""]);
  if (rule.shape === "primitive") return joined;
  const parts = splitRaw(joined, ",");
  return rule.shape === "array" ? parts : pairsToObject(parts);
}

function propertyCoercion(coercion: Coercion | undefined, key: string): Coercion | undefined {
  if (coercion?.properties && Object.hasOwn(coercion.properties, key)) return coercion.properties[key];
  return coercion?.additional;
}

/**
 * Each property its own key (`R=100&G=200`): the declared ones, and any other
 * when the schema allows more. A repeated key makes a list where the property is an array.
 */
function explodedObject(rule: ParameterRule, entries: Map<string, string[]>, decode: (raw: string) => string): Raw | undefined {
  const { properties, additional } = rule.coerce;
  const excluded = new Set(rule.excludeKeys);
  let object: Tree | undefined;
  for (const [key, raws] of entries) {
    const declared = properties !== undefined && Object.hasOwn(properties, key);
    if (declared || (additional && !excluded.has(key))) object = place(object ?? new Map(), [key], raws.map(decode), rule.coerce, key);
  }
  return object === undefined ? undefined : finish(object);
}

/**
 * `color[R]=100&color[G]=200`. OpenAPI leaves nesting and arrays undefined;
 * the common bracket convention is read where the schema calls for it:
 * `[key]` into an object, `[]` or `[0]` into an array (`expand[]=a`), and a
 * bare `name=value` for a schema that is no object.
 */
function deepObject(rule: ParameterRule, entries: Map<string, string[]>): Raw | undefined {
  let root: Tree | undefined;
  for (const [key, raws] of entries) {
    const brackets = key.slice(rule.name.length);
    if (!key.startsWith(rule.name) || !/^(\[[^[\]]*\])*$/.test(brackets)) continue;
    const path = Array.from(brackets.matchAll(/\[([^[\]]*)\]/g), (match) => match[1]);
    if (path.length > MAX_NESTING) throw new Unreadable(`nests "${key}" deeper than ${MAX_NESTING} levels`);
    root = place(root, path, raws.map(formDecode), rule.coerce, key);
  }
  return root === undefined ? undefined : finish(root);
}

function place(node: Tree | undefined, path: string[], values: string[], coercion: Coercion | undefined, key: string): Tree {
  const wantsList = coercion?.types.includes("array") ?? false;
  if (path.length === 0) {
    if (wantsList) return [...asList(node, key), ...values];
    if (node !== undefined || values.length > 1) throw new Unreadable(`has "${key}" more than once`);
    return values[0];
  }
  const [segment, ...rest] = path;
  if (wantsList && /^[0-9]*$/.test(segment)) {
    const items = asList(node, key);
    if (segment === "") {
      for (const value of values) items.push(place(undefined, rest, [value], coercion?.items, key));
    } else {
      const index = Number(segment);
      if (index >= MAX_ITEMS) throw new Unreadable(`has more than ${MAX_ITEMS} items`);
      items[index] = place(items[index], rest, values, coercion?.items, key);
    }
    if (items.length > MAX_ITEMS) throw new Unreadable(`has more than ${MAX_ITEMS} items`);
    return items;
  }
  if (node !== undefined && !(node instanceof Map)) throw new Unreadable(`has both a value and members at "${key}"`);
  const members = node ?? new Map<string, Tree>();
  members.set(segment, place(members.get(segment), rest, values, propertyCoercion(coercion, segment), key));
  return members;
}

function asList(node: Tree | undefined, key: string): Tree[] {
  if (node === undefined) return [];
  if (Array.isArray(node)) return node;
  throw new Unreadable(`has both a value and members at "${key}"`);
}

/** Holes left by sparse indexes close up; Maps become plain objects. */
function finish(tree: Tree): Raw {
  if (typeof tree === "string") return tree;
  if (Array.isArray(tree)) return tree.filter(() => true).map(finish);
  return Object.fromEntries(Array.from(tree, ([key, value]) => [key, finish(value)]));
}

function parseContent(raw: string, content: "json" | "text"): unknown {
  if (content === "text") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new Unreadable("is not valid JSON");
  }
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * The first of the schema's non-string types the text is exactly written as;
 * otherwise the text itself. `null` is written as the empty string, the only
 * way style serialization can carry it.
 */
export function coerceScalar(text: string, types: readonly string[]): unknown {
  for (const type of types) {
    if (type === "integer" && INTEGER.test(text) && text !== "-0") {
      const value = Number(text);
      if (Number.isFinite(value)) return value;
    } else if (type === "number" && NUMBER.test(text)) {
      const value = Number(text);
      if (Number.isFinite(value)) return value;
    } else if (type === "boolean" && (text === "true" || text === "false")) {
      return text === "true";
    } else if (type === "null" && text === "") {
      return null;
    }
  }
  return text;
}

function coerce(value: Raw, coercion: Coercion | undefined): unknown {
  if (typeof value === "string") return coercion ? coerceScalar(value, coercion.types) : value;
  if (Array.isArray(value)) return value.map((item) => coerce(item, coercion?.items));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerce(item, propertyCoercion(coercion, key))]));
}
