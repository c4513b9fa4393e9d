/**
 * @module
 * Form fields put together into the value their schema is checked against.
 * A field's path (`line_items[0][price_data][currency]` → `0`, `price_data`,
 * `currency`) nests it: a name makes an object member, an index or empty
 * brackets an array item, and a name given again makes a list where the
 * schema takes one. Leaves are coerced like query parameters.
 *
 * Objects are Maps while they grow and null-prototype objects after, so a
 * field named `__proto__` or `constructor` is only data. Work is bounded by
 * FormLimits: no path deeper than `maxDepth`, no index above `maxIndex`.
 */
import { coerceScalar, propertyCoercion } from "./coerce.ts";
import type { Coercion } from "./parameters.ts";

export interface FormLimits {
  /** Bracket levels one field name may have: `a[b][c]` has two. */
  maxDepth: number;
  /** Fields (or multipart parts) one body may have. */
  maxKeys: number;
  /** The largest array index read: `a[1000]` is the 1,001st item. */
  maxIndex: number;
}

export const DEFAULT_FORM_LIMITS: FormLimits = { maxDepth: 32, maxKeys: 1000, maxIndex: 1000 };

/** Ends the reading of a form body: a 400 violation at `pointer`. */
export class FormError extends Error {
  readonly pointer: string;
  constructor(pointer: string, message: string) {
    super(message);
    this.pointer = pointer;
  }
}

/** A value while it is put together: a leaf's text, a (possibly sparse) list, or members by name. */
export type Tree = string | Tree[] | Map<string, Tree>;

export const escapeToken = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

const INDEX = /^(?:0|[1-9][0-9]*)$/;
const SCALARS = new Set(["string", "number", "integer", "boolean", "null"]);

const typesOf = (coercion: Coercion | undefined) => coercion?.types ?? [];

/**
 * Puts one value at `path` under `node` (which stands at `pointer`); returns
 * the node. A segment is an index when it is empty or a canonical number and
 * the schema there is not an object alone (`metadata[0]` names a member).
 */
export function placeValue(
  node: Tree | undefined,
  path: readonly string[],
  value: string,
  coercion: Coercion | undefined,
  pointer: string,
  limits: FormLimits,
): Tree {
  return place(node, path, 0, value, coercion, pointer, limits);
}

function place(
  node: Tree | undefined,
  path: readonly string[],
  at: number,
  value: string,
  coercion: Coercion | undefined,
  pointer: string,
  limits: FormLimits,
): Tree {
  if (at === path.length) return leaf(node, value, coercion, pointer, limits);
  const segment = path[at];
  const types = typesOf(coercion);
  const objectOnly = types.includes("object") && !types.includes("array");
  if (!objectOnly && (segment === "" || INDEX.test(segment))) {
    if (node !== undefined && !Array.isArray(node))
      throw new FormError(pointer, node instanceof Map ? "mixes array indexes and member names" : "is given both a value and members");
    const list = node ?? [];
    // The length is checked before Number() so that a thousand-digit index costs nothing.
    const index = segment === "" ? list.length : segment.length > 9 ? Infinity : Number(segment);
    if (index > limits.maxIndex)
      throw new FormError(pointer, `has an array index over the limit of ${limits.maxIndex}${segment ? ` (${segment.slice(0, 20)})` : ""}`);
    list[index] = place(list[index], path, at + 1, value, coercion?.items, `${pointer}/${index}`, limits);
    return list;
  }
  if (node !== undefined && !(node instanceof Map))
    throw new FormError(pointer, Array.isArray(node) ? "mixes array indexes and member names" : "is given both a value and members");
  const members = node ?? new Map<string, Tree>();
  members.set(segment, place(members.get(segment), path, at + 1, value, propertyCoercion(coercion, segment), `${pointer}/${escapeToken(segment)}`, limits));
  return members;
}

/**
 * A value where the path ends. A schema that takes only a list gets one even
 * for a single value; one that also takes a scalar keeps a single value as it
 * is (`default_tax_rates=` clears a Stripe list) and lists repeated ones.
 */
function leaf(node: Tree | undefined, value: string, coercion: Coercion | undefined, pointer: string, limits: FormLimits): Tree {
  const types = typesOf(coercion);
  if (node === undefined) return types.includes("array") && !types.some((type) => SCALARS.has(type)) ? [value] : value;
  if (node instanceof Map) throw new FormError(pointer, "is given both a value and members");
  if (types.length > 0 && !types.includes("array")) throw new FormError(pointer, "is given more than once; it takes one value");
  const list = Array.isArray(node) ? node : [node];
  if (list.length > limits.maxIndex) throw new FormError(pointer, `has more items than the limit of ${limits.maxIndex + 1}`);
  list.push(value);
  return list;
}

/** The finished value: leaves coerced, holes left by sparse indexes closed up, Maps made null-prototype objects. */
export function finishTree(tree: Tree, coercion: Coercion | undefined): unknown {
  if (typeof tree === "string") return coerceScalar(tree, typesOf(coercion));
  if (Array.isArray(tree)) {
    const items: unknown[] = [];
    for (const item of tree) if (item !== undefined) items.push(finishTree(item, coercion?.items));
    return items;
  }
  const object: Record<string, unknown> = Object.create(null);
  for (const [key, item] of tree) object[key] = finishTree(item, propertyCoercion(coercion, key));
  return object;
}
