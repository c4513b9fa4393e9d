/**
 * @module
 * Self-contained JSON Schemas for MCP tools, made at build time from the
 * document's: every `$ref` it reaches is copied into the schema's own `$defs`
 * (a tool's schema travels alone to the client, without the document), and
 * OpenAPI's own keywords, which JSON Schema validators refuse in strict mode,
 * are left out (`example` becomes `examples`).
 */
import { tokensOf } from "../errors.ts";

type Schema = Record<string, any>;

/** OpenAPI's additions to JSON Schema 2020-12 (OpenAPI 3.1 §4.8.24): not JSON Schema, so not in a tool's schema. */
const OPENAPI_KEYWORDS = new Set(["discriminator", "xml", "externalDocs", "example"]);

/** Keywords whose value is a map of names to schemas: the names are data, not keywords (a property may be called `example`). */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);

/** Keywords whose value is data, copied as it is. */
const DATA = new Set(["enum", "const", "default", "examples"]);

/** Copies schemas out of one document into one tool schema's `$defs`: one bundle per tool schema. */
export class SchemaBundle {
  readonly #document: Schema;
  /** Document pointer → its name in `$defs`. */
  readonly #names = new Map<string, string>();
  readonly #defs: Record<string, unknown> = {};

  constructor(document: Schema) {
    this.#document = document;
  }

  /** A copy of `schema` whose `$ref`s point into the bundle's `$defs`. */
  copy(schema: unknown): any {
    if (Array.isArray(schema)) return schema.map((item) => this.copy(item));
    if (schema === null || typeof schema !== "object") return schema;
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#")) out.$ref = `#/$defs/${this.#define(value)}`;
      else if (key === "example") {
        if ((schema as Schema).examples === undefined) out.examples = [structuredClone(value)];
      } else if (DATA.has(key)) out[key] = structuredClone(value);
      else if (!OPENAPI_KEYWORDS.has(key) && !key.startsWith("x-")) out[key] = SCHEMA_MAPS.has(key) ? this.#copyMap(value) : this.copy(value);
    }
    return out;
  }

  /** A map of names to schemas (SCHEMA_MAPS): each schema copied, the names kept. */
  #copyMap(map: unknown): unknown {
    if (map === null || typeof map !== "object" || Array.isArray(map)) return this.copy(map);
    return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, this.copy(value)]));
  }

  #define(ref: string): string {
    const pointer = decodeURIComponent(ref.slice(1));
    let name = this.#names.get(pointer);
    if (name) return name;
    const wanted = (tokensOf(pointer).at(-1) ?? "schema").replace(/[^A-Za-z0-9_.-]/g, "_") || "schema";
    name = wanted;
    for (let n = 2; Object.hasOwn(this.#defs, name); n++) name = `${wanted}${n}`;
    this.#names.set(pointer, name);
    this.#defs[name] = true; // taken before its copy: a schema that refers to itself finds its name
    const target = tokensOf(pointer).reduce((node: any, token) => node?.[token], this.#document);
    this.#defs[name] = this.copy(target ?? {});
    return name;
  }

  /** The schema with the bundle's `$defs`, when any `$ref` was met. */
  close(schema: Schema): Schema {
    return Object.keys(this.#defs).length === 0 ? schema : { ...schema, $defs: { ...schema.$defs, ...this.#defs } };
  }
}

/** Follows `$ref`s of the document to the schema they name (a cycle stops at its first repeat). */
export function resolved(document: Schema, schema: unknown): Schema | undefined {
  const seen = new Set<string>();
  let node: any = schema;
  while (node && typeof node === "object" && typeof node.$ref === "string" && node.$ref.startsWith("#") && !seen.has(node.$ref)) {
    seen.add(node.$ref);
    node = tokensOf(decodeURIComponent(node.$ref.slice(1))).reduce((at: any, token) => at?.[token], document);
  }
  return node && typeof node === "object" && !Array.isArray(node) ? node : undefined;
}

/** Keywords an object schema may have and still be read as a plain list of properties. */
const PLAIN_OBJECT = new Set(["type", "properties", "required", "additionalProperties", "title", "description", "example", "examples", "xml", "externalDocs"]);

/** The schema's properties, when it is a plain object schema (no composition, no pattern properties): a body whose properties can be arguments. */
export function plainProperties(schema: Schema | undefined): { properties: Record<string, unknown>; required: string[] } | undefined {
  if (!schema || (schema.type !== "object" && schema.type !== undefined) || typeof schema.properties !== "object") return undefined;
  if (Object.keys(schema).some((key) => !PLAIN_OBJECT.has(key) && !key.startsWith("x-"))) return undefined;
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return undefined;
  return { properties: schema.properties, required: Array.isArray(schema.required) ? schema.required : [] };
}

/** Whether the schema (its `$ref`s followed) describes JSON objects only: MCP's outputSchema must. */
export function isObjectSchema(document: Schema, schema: unknown): boolean {
  const node = resolved(document, schema);
  return node?.type === "object";
}
