/**
 * @module
 * A schema as a reader thinks of it, for display only (validation reads the
 * document as written): `allOf` merged into one object, a union with null
 * (`anyOf: [X, {type: null}]`, `type: [X, "null"]`, 3.0's `nullable`) read as
 * `X | null`, and each variant of a union named.
 */
import { refName, resolve } from "./refs.ts";

export interface Shape {
  /** What to draw: may be `{ $ref }` when all that is left is one reference (`allOf: [X]`, `anyOf: [X, null]`). */
  schema: Record<string, any>;
  nullable: boolean;
  /** The $refs an `allOf` merged in, to say where the properties came from. */
  includes: string[];
}

/** Keywords that give a schema a shape of its own beside an `allOf`, rather than only annotate it. */
const STRUCTURE = ["type", "properties", "items", "additionalProperties", "oneOf", "anyOf", "enum", "const", "patternProperties"];

const isNull = (schema: any) =>
  schema?.type === "null" || (Array.isArray(schema?.type) && schema.type.length === 1 && schema.type[0] === "null") || schema?.const === null;

export function displayShape(document: Record<string, any>, raw: Record<string, any>, stack: string[] = []): Shape {
  const includes: string[] = [];
  // Merged first: a member may be the one that says null is allowed.
  const merged = Array.isArray(raw.allOf) ? mergeAllOf(document, raw, stack, includes) : raw;
  let { schema, nullable } = withoutNull(merged);
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const variants = schema[keyword];
    if (typeof schema.$ref === "string" || !Array.isArray(variants)) continue;
    const rest = variants.filter((variant) => !isNull(variant));
    // A union of one (Stripe's `anyOf: [{ $ref }]` beside `nullable: true`) is that one.
    if (rest.length === variants.length && rest.length !== 1) continue;
    nullable ||= rest.length < variants.length;
    const { [keyword]: _union, ...outer } = schema;
    const only = rest.length === 1 ? rest[0] : undefined;
    if (only && typeof only === "object" && typeof only.$ref === "string") {
      // One reference or null: the reference, annotated by what stands beside the union.
      if (!STRUCTURE.some((key) => key in outer)) return { schema: { ...outer, $ref: only.$ref }, nullable, includes };
    } else if (only && typeof only === "object") {
      // One schema or null: that schema and what stands beside the union, as one.
      const inner = displayShape(document, combine(only, outer), stack);
      return { schema: inner.schema, nullable: nullable || inner.nullable, includes: [...includes, ...inner.includes] };
    }
    schema = rest.length ? { ...outer, [keyword]: rest } : outer;
  }
  return { schema, nullable, includes };
}

/** 3.0's `nullable` and 3.1's `type: [X, "null"]`, taken off the schema and said apart. */
function withoutNull(raw: Record<string, any>): { schema: Record<string, any>; nullable: boolean } {
  const typed = Array.isArray(raw.type) && raw.type.includes("null");
  if (raw.nullable !== true && !typed) {
    if (!("nullable" in raw)) return { schema: raw, nullable: false };
    const { nullable: _false, ...rest } = raw;
    return { schema: rest, nullable: false };
  }
  const { nullable: _nullable, ...schema } = raw;
  if (typed) {
    const types = raw.type.filter((type: unknown) => type !== "null");
    if (types.length === 0) delete schema.type;
    else schema.type = types.length === 1 ? types[0] : types;
  }
  return { schema, nullable: true };
}

/** The members of an `allOf` and what stands beside it, as one schema: properties and required merged, the outer description first. */
function mergeAllOf(document: Record<string, any>, schema: Record<string, any>, stack: string[], includes: string[]): Record<string, any> {
  const { allOf, ...outer } = schema;
  const members = (allOf as unknown[]).filter((member): member is Record<string, any> => member !== null && typeof member === "object");
  // `allOf: [{ $ref: X }]` with a description or `nullable` beside it is how 3.0 documents annotate a reference.
  if (members.length === 1 && typeof members[0].$ref === "string" && !STRUCTURE.some((key) => key in outer)) {
    return { ...outer, $ref: members[0].$ref };
  }
  let merged: Record<string, any> = {};
  for (const member of members) {
    let part = member;
    if (typeof member.$ref === "string") {
      if (stack.includes(member.$ref)) continue;
      includes.push(member.$ref);
      part = resolve(document, member);
      if (!part || typeof part !== "object") continue;
    }
    const nextStack = typeof member.$ref === "string" ? [...stack, member.$ref] : stack;
    if (Array.isArray(part.allOf)) part = mergeAllOf(document, part, nextStack, includes);
    merged = combine(merged, part);
  }
  return combine(merged, outer);
}

/** `b` over `a`; properties both define are merged again when drawn (an `allOf` of the two). */
function combine(a: Record<string, any>, b: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...a, ...b };
  if (a.properties || b.properties) {
    const properties: Record<string, any> = { ...a.properties };
    for (const [name, value] of Object.entries(b.properties ?? {})) {
      properties[name] = name in properties && properties[name] !== value ? { allOf: [properties[name], value] } : value;
    }
    out.properties = properties;
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (a.description !== undefined && b.description === undefined) out.description = a.description;
  return out;
}

/**
 * What a reader calls one variant of a union: its discriminator value, its
 * component's name, its title, the value that tells it apart (`type: text`),
 * or its type.
 */
export function variantName(document: Record<string, any>, variant: unknown, union: Record<string, any>): string {
  if (!variant || typeof variant !== "object") return variant === false ? "never" : "any";
  const value = variant as Record<string, any>;
  const ref = typeof value.$ref === "string" ? value.$ref : undefined;
  const discriminator = union.discriminator;
  if (ref && discriminator?.mapping && typeof discriminator.mapping === "object") {
    // A mapping names its schema by $ref or, as OpenAPI also allows, by component name alone.
    for (const [key, target] of Object.entries(discriminator.mapping)) if (target === ref || `#/components/schemas/${String(target)}` === ref) return key;
  }
  // A reference is named by the value that selects it, else by its component, which its link shows.
  if (ref) return (discriminator ? distinguishingValue(resolve(document, value), discriminator.propertyName) : undefined) ?? refName(ref);
  if (typeof value.title === "string" && value.title.trim()) return value.title.trim();
  const tag = distinguishingValue(value, discriminator?.propertyName);
  if (tag !== undefined) return tag;
  return typeName(document, value);
}

/** The one value a variant's discriminating property (or its `type` or `object` property) can take. */
function distinguishingValue(schema: Record<string, any> | undefined, propertyName: unknown): string | undefined {
  const properties = schema?.properties;
  if (!properties || typeof properties !== "object") return undefined;
  for (const name of typeof propertyName === "string" ? [propertyName] : ["type", "object", "kind"]) {
    const property = properties[name];
    if (property && "const" in property) return String(property.const);
    if (Array.isArray(property?.enum) && property.enum.length === 1) return String(property.enum[0]);
  }
  return undefined;
}

/** A schema's type in a few words: "string (date-time) | null", "array of Pet", "Pet | Cat". */
export function typeName(document: Record<string, any>, raw: Record<string, any>, depth = 0): string {
  if (typeof raw?.$ref === "string") return refName(raw.$ref);
  const shape = displayShape(document, raw);
  const schema = shape.schema;
  let base: string;
  if (typeof schema.$ref === "string") base = refName(schema.$ref);
  else {
    const types: string[] = Array.isArray(schema.type) ? schema.type.map(String) : schema.type ? [String(schema.type)] : [];
    base = types.join(" | ");
    const union = schema.oneOf ?? schema.anyOf;
    if (!base && Array.isArray(union) && depth < 2) {
      const names = [...new Set(union.map((variant: any) => (variant?.$ref ? refName(variant.$ref) : typeName(document, variant ?? {}, depth + 1))))];
      base = names.length <= 4 ? names.join(" | ") : schema.oneOf ? "one of" : "any of";
    }
    if (!base)
      base = schema.properties ? "object" : schema.items ? "array" : schema.oneOf ? "one of" : schema.anyOf ? "any of" : schema.allOf ? "all of" : "any";
    if (base === "array" && schema.items && typeof schema.items === "object" && depth < 2) base = `array of ${typeName(document, schema.items, depth + 1)}`;
    if (schema.format) base += ` (${schema.format})`;
  }
  return shape.nullable ? `${base} | null` : base;
}
