/**
 * Values for a JSON Schema of a document, as fast-check arbitraries: mostly
 * values the schema takes (so requests get past validation to the handler),
 * now and then any JSON at all. Covers the keywords the fuzz gateway's
 * document uses; an unknown keyword is ignored, which only makes a value
 * less likely to be valid.
 */
import fc from "fast-check";

export type Json = Record<string, any>;

/** Follows a local `$ref` (`#/components/...`) of the document; anything else stays as it is. */
export function derefIn(document: Json) {
  return function deref(value: unknown): any {
    let current = value as Json | undefined;
    for (let hops = 0; current && typeof current.$ref === "string" && hops < 20; hops++) {
      current = current.$ref
        .slice(2)
        .split("/")
        .map((part: string) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
        .reduce((node: any, key: string) => node?.[key], document);
    }
    return current;
  };
}

const anyJson = fc.jsonValue({ maxDepth: 2 });

const STRING_FORMATS: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid(),
  email: fc.emailAddress(),
  "date-time": fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
  date: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString().slice(0, 10)),
  binary: fc.string({ unit: "binary", maxLength: 40 }),
};

function stringOf(schema: Json): fc.Arbitrary<string> {
  if (typeof schema.format === "string" && STRING_FORMATS[schema.format]) return STRING_FORMATS[schema.format];
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? minLength + 12, minLength + 40);
  if (typeof schema.pattern === "string") {
    return fc.stringMatching(new RegExp(schema.pattern, "u")).filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  return fc.string({ unit: "grapheme", minLength, maxLength });
}

function numberOf(schema: Json, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-6) : -1e6);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-6) : 1e6);
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function objectOf(schema: Json, deref: (v: unknown) => any, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties: Json = schema.properties ?? {};
  const required: string[] = schema.required ?? [];
  const named = fc.record(Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueOf(property, deref, depth + 1)])), {
    requiredKeys: required.filter((name) => name in properties),
  });
  const extra = schema.additionalProperties;
  if (!extra || depth > 3) return named;
  const values = extra === true ? anyJson : valueOf(extra, deref, depth + 1);
  const maxKeys = Math.max(0, Math.min(3, (schema.maxProperties ?? 3) - Object.keys(properties).length));
  const more = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), values, { maxKeys });
  return fc.tuple(named, more).map(([own, added]) => ({ ...added, ...own }));
}

function arrayOf(schema: Json, deref: (v: unknown) => any, depth: number): fc.Arbitrary<unknown[]> {
  const items = schema.items === undefined || depth > 3 ? anyJson : valueOf(schema.items, deref, depth + 1);
  const minLength = schema.minItems ?? 0;
  const maxLength = Math.min(schema.maxItems ?? minLength + 4, minLength + 6);
  return schema.uniqueItems ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) }) : fc.array(items, { minLength, maxLength });
}

/** A value the schema most likely takes. */
export function valueOf(raw: unknown, deref: (v: unknown) => any, depth = 0): fc.Arbitrary<unknown> {
  const schema: Json = deref(raw) ?? {};
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const choices = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(choices)) return fc.oneof(...choices.map((choice: unknown) => valueOf(choice, deref, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return stringOf(schema);
    case "integer":
    case "number":
      return numberOf(schema, type === "integer");
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return arrayOf(schema, deref, depth);
    case "object":
      return objectOf(schema, deref, depth);
    default:
      return schema.properties ? objectOf(schema, deref, depth) : anyJson;
  }
}

/** Mostly a value of the schema, sometimes any JSON. */
export function fuzzValueOf(schema: unknown, deref: (v: unknown) => any): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: valueOf(schema, deref) }, { weight: 1, arbitrary: anyJson });
}
