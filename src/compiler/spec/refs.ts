/**
 * @module
 * Following internal $refs of the bundled document (external ones are gone
 * after bundling). Cycles stop at the first repeat.
 */
import { tokensOf } from "../errors.ts";

export function createDeref(document: Record<string, any>) {
  return function deref<T>(value: T): T {
    let current: any = value;
    const seen = new Set<string>();
    while (current && typeof current === "object" && typeof current.$ref === "string" && current.$ref.startsWith("#")) {
      if (seen.has(current.$ref)) break;
      seen.add(current.$ref);
      current = tokensOf(decodeURIComponent(current.$ref.slice(1))).reduce((node: any, token) => node?.[token], document);
    }
    return current as T;
  };
}

/** A deep copy without any `x-portico` key: the document as SDK generators and the portal see it. */
export function withoutExtension(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtension);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (key !== "x-portico") out[key] = withoutExtension(item);
  return out;
}
