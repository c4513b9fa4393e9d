/**
 * @module
 * Every regular expression the document has the validators run: each
 * schema's `pattern` and each `patternProperties` key, with where it stands.
 * The walk reads the document as the validator compiler does (schema-document.ts):
 * annotations, extensions and data values are not schemas, and the keys of
 * `properties` and the like are names, so a property called "pattern" is one.
 */
import { joinPointer } from "../errors.ts";
import { ANNOTATIONS, DATA_KEYS, NAME_MAPS } from "./schema-document.ts";

export interface DocumentPattern {
  pattern: string;
  /** The JSON pointer of the `pattern` value, or of the `patternProperties` entry. */
  pointer: string;
}

export function documentPatterns(document: unknown): DocumentPattern[] {
  const found: DocumentPattern[] = [];
  const walk = (node: unknown, pointer: string, keysAreNames: boolean): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, joinPointer(pointer, i), false));
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      const at = joinPointer(pointer, key);
      if (!keysAreNames) {
        if (ANNOTATIONS.has(key) || key.startsWith("x-") || DATA_KEYS.has(key)) continue;
        if (key === "pattern" && typeof value === "string") found.push({ pattern: value, pointer: at });
        if (key === "patternProperties" && value !== null && typeof value === "object" && !Array.isArray(value)) {
          for (const name of Object.keys(value)) found.push({ pattern: name, pointer: joinPointer(at, name) });
        }
      }
      walk(value, at, !keysAreNames && NAME_MAPS.has(key));
    }
  };
  walk(document, "", false);
  return found;
}
