/**
 * @module
 * Request schemas whose check a client can make expensive. `uniqueItems` over
 * items that are not plain scalars compares every pair of items: without a
 * small `maxItems`, 20,000 objects cost seconds of CPU in a Worker that has
 * milliseconds. The walk follows the document's own `$ref`s, once each, and
 * stops after a bounded number of schemas.
 */
import { tokensOf } from "../errors.ts";

/** The largest maxItems that keeps a pairwise uniqueItems check cheap (half a million comparisons). */
export const MAX_UNIQUE_ITEMS = 1000;
/** Schemas visited per starting schema: wide or shared documents stay cheap to build. */
const MAX_VISITS = 5000;

const SCHEMA_MAPS = ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMAS = [
  "items",
  "additionalItems",
  "additionalProperties",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contains",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
];

export interface CostlySchema {
  /** Where the schema stands in the document (a component's own place when reached through a $ref). */
  pointer: string;
  message: string;
  hint: string;
}

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === "object" && !Array.isArray(value);

const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

/** Whether Ajv can check uniqueness of these items with one pass over a map: a `type` of scalars only, on the items schema itself. */
function scalarItems(items: unknown): boolean {
  const types = isObject(items) ? [items.type].flat().filter((t) => typeof t === "string") : [];
  return types.length > 0 && !types.some((t) => t === "object" || t === "array");
}

function uniqueItemsCost(schema: Record<string, any>): Omit<CostlySchema, "pointer"> | undefined {
  if (schema.uniqueItems !== true || scalarItems(schema.items)) return undefined;
  if (typeof schema.maxItems === "number" && schema.maxItems <= MAX_UNIQUE_ITEMS) return undefined;
  return {
    message: `uniqueItems: true without maxItems (at most ${MAX_UNIQUE_ITEMS}) makes checking a request compare every pair of items: a client can send an array that costs seconds of CPU.`,
    hint: `Add maxItems: ${MAX_UNIQUE_ITEMS} (or less) beside uniqueItems, or give items a scalar type (string, number, integer, boolean).`,
  };
}

/**
 * The schemas under the one at `pointer` (itself included) that are costly to
 * check. `seen` holds the pointers walked already: pass the same set for every
 * schema of a document, and a component many operations share is walked once.
 */
export function costlySchemas(document: Record<string, any>, pointer: string, seen = new Set<string>()): CostlySchema[] {
  const found: CostlySchema[] = [];
  const pending = [pointer];
  let visits = 0;
  while (pending.length > 0 && visits < MAX_VISITS) {
    const at = pending.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    visits++;
    const schema = tokensOf(at).reduce(
      (node: any, token) => (node !== null && typeof node === "object" && Object.hasOwn(node, token) ? node[token] : undefined),
      document,
    );
    if (!isObject(schema)) continue;
    const cost = uniqueItemsCost(schema);
    if (cost) found.push({ pointer: at, ...cost });
    if (typeof schema.$ref === "string" && schema.$ref.startsWith("#/")) {
      try {
        pending.push(decodeURIComponent(schema.$ref.slice(1)));
      } catch {
        // An undecodable $ref is reported where $refs are resolved.
      }
    }
    for (const key of SCHEMAS) {
      if (Array.isArray(schema[key])) schema[key].forEach((_: unknown, i: number) => pending.push(`${at}/${key}/${i}`));
      else if (isObject(schema[key])) pending.push(`${at}/${key}`);
    }
    for (const key of SCHEMA_LISTS) if (Array.isArray(schema[key])) schema[key].forEach((_: unknown, i: number) => pending.push(`${at}/${key}/${i}`));
    for (const key of SCHEMA_MAPS) if (isObject(schema[key])) for (const name of Object.keys(schema[key])) pending.push(`${at}/${key}/${escape(name)}`);
  }
  return found;
}
