/**
 * @module
 * How each declared parameter is read at run time (OpenAPI 3.1 Parameter
 * Object): its style and explode with the spec's defaults, whether it is
 * content-typed, and the JSON types its raw strings may become, taken from
 * its schema. The runtime owns the rule's shape.
 */
import { isJsonMediaType } from "../../handlers/mock/options.ts";
import type { Coercion, ParameterLocation, ParameterRule } from "../../policies/validate-request/parameters.ts";
import { schemaCoercion } from "./schema-coercion.ts";

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

function shapeOf(coerce: Coercion, style: string): ParameterRule["shape"] {
  if (coerce.types.includes("array")) return "array";
  if (coerce.types.includes("object")) return "object";
  if (coerce.types.length === 0) {
    if (style === "deepObject" || coerce.properties || coerce.additional) return "object";
    if (coerce.items) return "array";
  }
  return "primitive";
}
