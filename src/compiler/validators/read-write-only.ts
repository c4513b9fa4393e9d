/**
 * @module
 * OpenAPI's readOnly and writeOnly: a readOnly property (an id the server
 * assigns) is not required in a request even when `required` lists it, and a
 * writeOnly one (a password) is not required in a response. JSON Schema has no
 * such direction, so the build compiles request and response validators from
 * two copies of the document with those names dropped from `required`.
 */
import { createDeref } from "../spec/refs.ts";

type Direction = "request" | "response";

/**
 * A copy of the document whose `required` lists leave out what the direction never carries
 * (the document itself when they name nothing to leave out: callers only read it).
 * `changes.count` adds up the names left out: none means the copy reads as the document does.
 */
export function forDirection(document: Record<string, any>, direction: Direction, changes?: { count: number }): Record<string, any> {
  // Counted first: a document that names nothing to leave out is its own copy (a large one is tens of megabytes).
  const count = dropUnsent(document, direction, false);
  if (changes) changes.count += count;
  if (count === 0) return document;
  const copy = structuredClone(document);
  dropUnsent(copy, direction, true);
  return copy;
}

/** How many names `required` lists that the direction never carries, each list rewritten without them when `write`. */
function dropUnsent(document: Record<string, any>, direction: Direction, write: boolean): number {
  const deref = createDeref(document);
  const hidden = direction === "request" ? "readOnly" : "writeOnly";
  const seen = new Set<object>();
  let count = 0;
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(visit);
    const schema = node as Record<string, any>;
    if (Array.isArray(schema.required) && schema.properties && typeof schema.properties === "object") {
      const kept = schema.required.filter((name: unknown) => deref(schema.properties[name as string])?.[hidden] !== true);
      count += schema.required.length - kept.length;
      if (write) schema.required = kept;
    }
    Object.values(schema).forEach(visit);
  };
  visit(document);
  return count;
}
