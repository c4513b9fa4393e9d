/**
 * @module
 * OpenAPI's parameter styles (form, spaceDelimited, pipeDelimited, simple,
 * label, matrix, deepObject and exploded objects): how a raw string, or the
 * raw pairs of a query or cookie, becomes a string, a list or an object,
 * before coercion. At most MAX_ITEMS items per value are ever read.
 */
import type { Coercion, ParameterRule } from "./parameters.ts";
import { propertyCoercion } from "./coerce.ts";
import { formDecode, Unreadable } from "./raw-pairs.ts";

export const MAX_ITEMS = 1000;

/** A deserialized value before coercion. */
export type Raw = string | Raw[] | { [key: string]: Raw };

/** A deepObject value while it is put together: objects as Maps, so that any key is only data. */
type Tree = string | Tree[] | Map<string, Tree>;

/** Bracket levels a deepObject key may have: `a[b][c]` has two. */
const MAX_NESTING = 8;

export function single(values: string[]): string {
  if (values.length > 1) throw new Unreadable(`is given ${values.length} times; it takes one value`);
  return values[0];
}

/** An empty value is an empty list: what clients send for `[]`. */
export function splitRaw(raw: string, delimiter: string | RegExp): string[] {
  if (raw === "") return [];
  const parts = raw.split(delimiter, MAX_ITEMS + 1);
  if (parts.length > MAX_ITEMS) throw new Unreadable(`has more than ${MAX_ITEMS} items`);
  return parts;
}

/** `R,100,G,200`, already split. */
export function pairsToObject(parts: string[]): Record<string, string> {
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

export function simple(rule: ParameterRule, value: string, clean: (part: string) => string): Raw {
  if (rule.shape === "primitive") return value;
  const parts = splitRaw(value, ",").map(clean);
  if (rule.shape === "array") return parts;
  return rule.explode ? keyValuesToObject(parts) : pairsToObject(parts);
}

/**
 * `.blue.black.brown`; without explode OpenAPI 3.1.1 (after RFC 6570) writes
 * `.blue,black,brown` where 3.1.0 wrote dots: a comma anywhere means commas.
 */
export function label(rule: ParameterRule, value: string): Raw {
  if (!value.startsWith(".")) throw new Unreadable('must start with "." (label style)');
  const rest = value.slice(1);
  if (rule.shape === "primitive") return rest;
  const parts = splitRaw(rest, rule.explode || !rest.includes(",") ? "." : ",");
  if (rule.shape === "array") return parts;
  return rule.explode ? keyValuesToObject(parts) : pairsToObject(parts);
}

/** `;color=blue,black`, `;color=blue;color=black`, `;R=100;G=200`; a bare `;color` is empty. */
export function matrix(rule: ParameterRule, value: string): Raw {
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

/**
 * Each property its own key (`R=100&G=200`): the declared ones, and any other
 * when the schema allows more. A repeated key makes a list where the property is an array.
 */
export function explodedObject(rule: ParameterRule, entries: Map<string, string[]>, decode: (raw: string) => string): Raw | undefined {
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
export function deepObject(rule: ParameterRule, entries: Map<string, string[]>): Raw | undefined {
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
