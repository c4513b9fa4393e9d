/**
 * @module
 * The JSON types a schema's raw strings may become, and those of its items
 * and properties: a bounded walk that follows `$ref`s and adds up the
 * branches of allOf, oneOf and anyOf. Parameters use it with a short reach;
 * form and multipart fields with a longer one.
 */
import type { Coercion } from "../../policies/validate-request/parameters.ts";

type Deref = (value: unknown) => any;

/** How far a coercion walk goes: schema levels of the value, and schemas visited in all. */
export interface CoercionReach {
  maxDepth: number;
  maxVisits: number;
}

/**
 * A raw parameter string is at most an item of an array inside an object:
 * deeper schema levels never apply. Visits are bounded so that wide, shared or
 * recursive schemas stay cheap.
 */
const PARAMETER_REACH: CoercionReach = { maxDepth: 3, maxVisits: 1000 };

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The types a schema's raw strings may become (form and multipart fields use it too, with a longer reach). */
export function schemaCoercion(schema: unknown, deref: Deref, reach: CoercionReach = PARAMETER_REACH): Coercion {
  return coercionOf(schema, { deref, reach, visits: 0, levels: [] }, 0);
}

interface Walk {
  deref: Deref;
  reach: CoercionReach;
  visits: number;
  /**
   * Schemas on the way down, per level of the value: meeting one again on the
   * same level is a loop of $refs or branches; a recursion through items or
   * properties goes one level deeper each time, and the reach's maxDepth ends it.
   */
  levels: Array<Set<object>>;
}

/**
 * The types a schema allows and those of its items and properties. `$ref`s are
 * followed, and allOf / oneOf / anyOf branches add their types: a union is
 * enough to coerce, the validator checks the rest.
 */
function coercionOf(schema: unknown, walk: Walk, depth: number): Coercion {
  if (!isObject(schema) || depth > walk.reach.maxDepth || ++walk.visits > walk.reach.maxVisits) return { types: [] };
  const level = (walk.levels[depth] ??= new Set());
  if (level.has(schema)) return { types: [] };
  level.add(schema);
  let result: Coercion = { types: typesOf(schema) };
  const items = [schema.items, ...(Array.isArray(schema.prefixItems) ? schema.prefixItems : [])].filter(isObject);
  if (items.length > 0) result.items = items.map((item) => coercionOf(item, walk, depth + 1)).reduce(merge);
  if (isObject(schema.properties)) {
    result.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, property]) => [key, coercionOf(property, walk, depth + 1)]));
  }
  const extra = [
    schema.additionalProperties === true ? {} : schema.additionalProperties,
    ...(isObject(schema.patternProperties) ? Object.values(schema.patternProperties) : []),
  ].filter(isObject);
  if (extra.length > 0) result.additional = extra.map((item) => coercionOf(item, walk, depth + 1)).reduce(merge);

  const branches = ["allOf", "oneOf", "anyOf"].flatMap((keyword) => (Array.isArray(schema[keyword]) ? schema[keyword] : []));
  // Only internal references remain after bundling; following anything else could never end.
  if (typeof schema.$ref === "string" && schema.$ref.startsWith("#")) branches.push(walk.deref({ $ref: schema.$ref }));
  for (const branch of branches) result = merge(result, coercionOf(branch, walk, depth));
  level.delete(schema);
  return result;
}

function typesOf(schema: Record<string, any>): string[] {
  let types: string[] = typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.length === 0) {
    const values = "const" in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : [];
    types = values.map(jsonTypeOf);
  }
  if (schema.nullable === true && types.length > 0) types = [...types, "null"];
  return [...new Set(types.filter((type) => typeof type === "string"))];
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function merge(a: Coercion, b: Coercion): Coercion {
  const merged: Coercion = { types: [...new Set([...a.types, ...b.types])] };
  const items = mergeOptional(a.items, b.items);
  if (items) merged.items = items;
  if (a.properties || b.properties) {
    const keys = new Set([...Object.keys(a.properties ?? {}), ...Object.keys(b.properties ?? {})]);
    merged.properties = Object.fromEntries([...keys].map((key) => [key, mergeOptional(ownProperty(a, key), ownProperty(b, key))!]));
  }
  const additional = mergeOptional(a.additional, b.additional);
  if (additional) merged.additional = additional;
  return merged;
}

function mergeOptional(a: Coercion | undefined, b: Coercion | undefined): Coercion | undefined {
  return a && b ? merge(a, b) : (a ?? b);
}

function ownProperty(coercion: Coercion, key: string): Coercion | undefined {
  return coercion.properties && Object.hasOwn(coercion.properties, key) ? coercion.properties[key] : undefined;
}
