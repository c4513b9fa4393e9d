/**
 * @module
 * One schema node made into one flat set of constraints to generate from:
 * `$ref`s followed, `allOf` members merged (properties united, bounds
 * tightened, enums intersected), `if`/`then` read as `then`, and the
 * `oneOf` / `anyOf` groups left as choices for the generator to make. The
 * merge is an approximation; the generator checks its result with the real
 * validator and tries again where it falls short.
 */

export type Json = Record<string, any>;

/** A `oneOf` or `anyOf` still to be chosen, with the discriminator beside it. */
export interface Choice {
  branches: unknown[];
  discriminator?: { propertyName?: string; mapping?: Record<string, string> };
}

export interface Flat extends Json {
  choices: Choice[];
  /** The `$ref`s followed to make this node, for cycle detection. */
  refs: string[];
  /** Patterns beyond the first (`allOf` members that each had one): all must match. */
  patterns?: string[];
  /** Set when nothing can be valid here (`false`, or types that do not meet). */
  impossible?: true;
}

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

const LOWER = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains"];
const UPPER = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains"];

function typesOf(type: unknown): string[] | undefined {
  if (typeof type === "string") return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : undefined;
}

/** Types both allow; "integer" is a kind of "number". */
function meetTypes(a: string[], b: string[]): string[] {
  const out = new Set<string>();
  for (const t of a) {
    if (b.includes(t)) out.add(t);
    else if (t === "integer" && b.includes("number")) out.add("integer");
    else if (t === "number" && b.includes("integer")) out.add("integer");
  }
  return [...out];
}

/** Adds `part`'s constraints to `into`. */
function mergeInto(into: Flat, part: Json): void {
  for (const [key, value] of Object.entries(part)) {
    if (value === undefined || key.startsWith("x-")) continue;
    if (key === "type") {
      const mine = typesOf(into.type);
      const theirs = typesOf(value) ?? [];
      if (!mine) into.type = theirs;
      else {
        const met = meetTypes(mine, theirs);
        if (met.length === 0) into.impossible = true;
        else into.type = met;
      }
    } else if (key === "properties" && isObject(value)) {
      const properties: Json = { ...into.properties };
      for (const [name, schema] of Object.entries(value)) properties[name] = name in properties ? { allOf: [properties[name], schema] } : schema;
      into.properties = properties;
    } else if (key === "required" && Array.isArray(value)) {
      into.required = [...new Set([...(into.required ?? []), ...value])];
    } else if (key === "enum" && Array.isArray(value)) {
      if (!Array.isArray(into.enum)) into.enum = value;
      else {
        const allowed = new Set(value.map((item) => JSON.stringify(item)));
        into.enum = into.enum.filter((item: unknown) => allowed.has(JSON.stringify(item)));
      }
      if (into.enum.length === 0 || ("const" in into && !into.enum.some((item: unknown) => JSON.stringify(item) === JSON.stringify(into.const))))
        into.impossible = true;
    } else if (key === "const") {
      if (
        "const" in into
          ? JSON.stringify(into.const) !== JSON.stringify(value)
          : Array.isArray(into.enum) && !into.enum.some((item: unknown) => JSON.stringify(item) === JSON.stringify(value))
      )
        into.impossible = true;
      if (!("const" in into)) into.const = value;
    } else if (LOWER.includes(key) && typeof value === "number") {
      into[key] = typeof into[key] === "number" ? Math.max(into[key], value) : value;
    } else if (UPPER.includes(key) && typeof value === "number") {
      into[key] = typeof into[key] === "number" ? Math.min(into[key], value) : value;
    } else if (key === "pattern" && typeof value === "string") {
      if (into.pattern === undefined) into.pattern = value;
      else if (into.pattern !== value) into.patterns = [...(into.patterns ?? []), value];
    } else if ((key === "items" || key === "additionalProperties") && into[key] !== undefined && value !== into[key]) {
      into[key] = into[key] === false || value === false ? false : { allOf: [into[key], value] };
    } else if (key === "readOnly" || key === "writeOnly" || key === "uniqueItems") {
      into[key] = into[key] === true || value === true;
    } else if (!(key in into)) {
      into[key] = value;
    }
  }
}

/**
 * Flattens a schema node. `deref` follows a `{ $ref }` of the document; a
 * `$ref` met twice while flattening one node stops there.
 */
export function flatten(schema: unknown, deref: (value: unknown) => any): Flat {
  if (!isObject(schema)) return flattenNode(schema, deref);
  // A schema is flattened once per document (`deref` stands for it): the generator asks again for every use.
  let cache = cached.get(deref);
  if (!cache) cached.set(deref, (cache = new WeakMap()));
  let flat = cache.get(schema);
  if (!flat) cache.set(schema, (flat = flattenNode(schema, deref)));
  return flat;
}

const cached = new WeakMap<object, WeakMap<object, Flat>>();

function flattenNode(schema: unknown, deref: (value: unknown) => any): Flat {
  const flat: Flat = { choices: [], refs: [] };
  const visit = (node: unknown, depth: number): void => {
    if (node === false) flat.impossible = true;
    if (!isObject(node) || depth > 32) return;
    if (typeof node.$ref === "string") {
      if (flat.refs.includes(node.$ref)) return;
      flat.refs.push(node.$ref);
      visit(deref({ $ref: node.$ref }), depth + 1);
    }
    const { $ref: _ref, allOf, oneOf, anyOf, if: _if, then, else: _else, discriminator, ...own } = node;
    mergeInto(flat, own);
    if (Array.isArray(allOf)) for (const member of allOf) visit(member, depth + 1);
    // `then` applies when `if` holds; reading it always keeps the value within both in most documents.
    if (isObject(then)) visit(then, depth + 1);
    for (const branches of [oneOf, anyOf]) {
      if (Array.isArray(branches) && branches.length > 0) flat.choices.push({ branches, discriminator: isObject(discriminator) ? discriminator : undefined });
    }
    if (isObject(discriminator) && !flat.discriminator) flat.discriminator = discriminator;
  };
  visit(schema, 0);
  return flat;
}
