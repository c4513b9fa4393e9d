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

/**
 * Whether every $ref of a parsed file points inside it, at something there: such a document is
 * its own bundle (bundling would change nothing), and the bundler's second parse of a large file,
 * hundreds of megabytes for GitHub's description, can be skipped.
 */
export function selfContained(document: unknown): boolean {
  const pending: unknown[] = [document];
  // YAML aliases make shared, even circular, objects: each is looked at once.
  const seen = new Set<object>();
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    const ref = (node as { $ref?: unknown }).$ref;
    if (ref !== undefined) {
      if (typeof ref !== "string" || !ref.startsWith("#")) return false;
      let tokens: string[];
      try {
        tokens = tokensOf(decodeURIComponent(ref.slice(1)));
      } catch {
        return false;
      }
      let target: any = document;
      for (const token of tokens) target = target !== null && typeof target === "object" && Object.hasOwn(target, token) ? target[token] : undefined;
      if (target === undefined) return false;
    }
    for (const value of Object.values(node)) if (value !== null && typeof value === "object") pending.push(value);
  }
  return true;
}
