/**
 * @module
 * OpenAPI 3.0 schema keywords rewritten to their 3.1 (JSON Schema 2020-12)
 * meaning, in place: `nullable` → a "null" type, boolean `exclusiveMinimum` /
 * `exclusiveMaximum` → numeric bounds. Example and enum values are user data
 * and are never touched.
 */

const DATA_KEYS = new Set(["example", "examples", "default", "enum", "const", "value"]);
/** Maps whose keys are user-chosen names: a property may well be called "value". */
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "schemas", "dependentSchemas"]);

/** Returns whether it found a 3.0 keyword (`nullable`, a boolean exclusive bound). */
function upgradeSchema(schema: Record<string, any>): boolean {
  const legacy = "nullable" in schema || typeof schema.exclusiveMinimum === "boolean" || typeof schema.exclusiveMaximum === "boolean";
  if (schema.nullable === true) {
    if (typeof schema.type === "string") {
      schema.type = [schema.type, "null"];
      delete schema.nullable;
      if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    } else if (Array.isArray(schema.type)) {
      if (!schema.type.includes("null")) schema.type = [...schema.type, "null"];
      delete schema.nullable;
    }
  } else if (schema.nullable === false) {
    delete schema.nullable;
  }
  for (const [bound, limit] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (schema[bound] === true && typeof schema[limit] === "number") {
      schema[bound] = schema[limit];
      delete schema[limit];
    } else if (schema[bound] === false) {
      delete schema[bound];
    }
  }
  return legacy;
}

/**
 * Walks the whole document; `nullable` is a schema keyword only, so any object
 * holding it is a schema. Returns how many schemas used a 3.0 keyword.
 */
export function upgradeSchemas(node: unknown, keysAreNames = false): number {
  if (Array.isArray(node)) return node.reduce((n: number, item) => n + upgradeSchemas(item), 0);
  if (node === null || typeof node !== "object") return 0;
  const object = node as Record<string, any>;
  let count = 0;
  if (!keysAreNames && ("nullable" in object || "exclusiveMinimum" in object || "exclusiveMaximum" in object)) {
    count += Number(upgradeSchema(object));
  }
  for (const [key, value] of Object.entries(object)) {
    if (!keysAreNames && (DATA_KEYS.has(key) || key.startsWith("x-"))) continue;
    count += upgradeSchemas(value, !keysAreNames && NAME_MAPS.has(key));
  }
  return count;
}
