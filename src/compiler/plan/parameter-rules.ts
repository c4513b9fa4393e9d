/**
 * @module
 * How each declared parameter is read at run time (OpenAPI 3.1 Parameter
 * Object): its style and explode with the spec's defaults, whether it is
 * content-typed, and the JSON types its raw strings may become, taken from
 * its schema. The runtime owns the rule's shape.
 */
import { isJsonMediaType } from "../../handlers/mock/options.ts";
import type { Coercion, ParameterLocation, ParameterRule } from "../../policies/validate-request/parameters.ts";

export type { Coercion, ParameterRule };

type Deref = (value: unknown) => any;

const STYLES: Record<ParameterLocation, readonly string[]> = {
  path: ["simple", "label", "matrix"],
  query: ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
  header: ["simple"],
  cookie: ["form"],
};

/** OpenAPI ignores header parameters with these names: content negotiation and security describe them. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

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

const list = (names: readonly string[]) => names.join(", ").replace(/, ([^,]*)$/, " or $1");

/**
 * The rule of one Parameter Object (or a `$ref` to one); `undefined` for a
 * header parameter OpenAPI ignores. Throws an Error saying what to change for
 * a combination OpenAPI forbids.
 */
export function parameterRule(parameter: Record<string, any>, deref: Deref): ParameterRule | undefined {
  const declared = deref(parameter);
  if (!isObject(declared)) throw new Error("A parameter must be an object with a name and an in.");
  const { name } = declared;
  const location = declared.in as ParameterLocation;
  if (typeof name !== "string" || name === "") throw new Error('A parameter needs a non-empty "name".');
  if (!Object.hasOwn(STYLES, location)) {
    throw new Error(`Parameter "${name}" has in: ${JSON.stringify(location)}; use ${list(Object.keys(STYLES))}.`);
  }
  if (location === "header" && IGNORED_HEADERS.has(name.toLowerCase())) return undefined;

  const hasSchema = "schema" in declared;
  const hasContent = "content" in declared;
  if (hasSchema && hasContent) throw new Error(`Parameter "${name}" has both schema and content; keep one of them.`);
  if (!hasSchema && !hasContent) throw new Error(`Parameter "${name}" has neither schema nor content; add a schema.`);

  const style = declared.style ?? (location === "query" || location === "cookie" ? "form" : "simple");
  if (typeof style !== "string" || !STYLES[location].includes(style)) {
    throw new Error(`Parameter "${name}" is in ${location}, where style ${JSON.stringify(style)} is not defined; use ${list(STYLES[location])}.`);
  }
  const explode = typeof declared.explode === "boolean" ? declared.explode : style === "form";
  const rule = {
    name,
    in: location,
    // OpenAPI requires `required: true` on every path parameter; one without a value never matches the route anyway.
    required: location === "path" || declared.required === true,
    style,
    explode,
    ...(location === "query" && declared.allowEmptyValue === true ? { allowEmptyValue: true } : {}),
  };

  if (hasContent) {
    const media = isObject(declared.content) ? Object.entries(declared.content) : [];
    if (media.length !== 1) {
      throw new Error(`Parameter "${name}" has ${media.length} media types under content; it must have exactly one.`);
    }
    const [mediaType, object] = media[0];
    const coerce = schemaCoercion(deref(object)?.schema, deref);
    return { ...rule, shape: shapeOf(coerce, style), coerce, content: isJsonMediaType(mediaType) ? "json" : "text" };
  }

  const coerce = schemaCoercion(declared.schema, deref);
  const shape = shapeOf(coerce, style);
  // A free-form object (no properties, additionalProperties left out) takes any key.
  if (shape === "object" && !coerce.properties && !coerce.additional && deref(declared.schema)?.additionalProperties !== false) {
    coerce.additional = { types: [] };
  }
  return { ...rule, shape, coerce };
}

/**
 * One operation's rules, from its path item's parameters then its own (in
 * that order; `undefined` ones are skipped): an operation's parameter replaces
 * a path item's of the same name and location, and an exploded free-form
 * object leaves the keys of the operation's other parameters alone.
 */
export function operationRules<Rule extends ParameterRule>(rules: ReadonlyArray<Rule | undefined>): Rule[] {
  const byKey = new Map<string, Rule>();
  for (const rule of rules) {
    if (rule) byKey.set(`${rule.in} ${rule.in === "header" ? rule.name.toLowerCase() : rule.name}`, rule);
  }
  const all = [...byKey.values()];
  return all.map((rule) => {
    if (rule.shape !== "object" || rule.style !== "form" || !rule.explode || !rule.coerce.additional || rule.content) return rule;
    const others = all.filter((other) => other !== rule && other.in === rule.in);
    const excludeKeys = others.flatMap((other) =>
      other.shape === "object" && other.style === "form" && other.explode ? Object.keys(other.coerce.properties ?? {}) : [other.name],
    );
    return { ...rule, excludeKeys };
  });
}

/** The types a schema's raw strings may become (form and multipart fields use it too, with a longer reach). */
export function schemaCoercion(schema: unknown, deref: Deref, reach: CoercionReach = PARAMETER_REACH): Coercion {
  return coercionOf(schema, { deref, reach, visits: 0, levels: [] }, 0);
}

function shapeOf(coerce: Coercion, style: string): ParameterRule["shape"] {
  if (coerce.types.includes("array")) return "array";
  if (coerce.types.includes("object")) return "object";
  if (coerce.types.length === 0) {
    if (style === "deepObject" || coerce.properties || coerce.additional) return "object";
    if (coerce.items) return "array";
  }
  return "primitive";
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
