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
 * A copy of the document whose `required` lists leave out what the direction never carries.
 * `changes.count` adds up the names left out: none means the copy reads as the document does.
 */
export function forDirection(document: Record<string, any>, direction: Direction, changes?: { count: number }): Record<string, any> {
  const copy = structuredClone(document);
  const deref = createDeref(copy);
  const hidden = direction === "request" ? "readOnly" : "writeOnly";
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(visit);
    const schema = node as Record<string, any>;
    if (Array.isArray(schema.required) && schema.properties && typeof schema.properties === "object") {
      const kept = schema.required.filter((name: unknown) => deref(schema.properties[name as string])?.[hidden] !== true);
      if (changes) changes.count += schema.required.length - kept.length;
      schema.required = kept;
    }
    Object.values(schema).forEach(visit);
  };
  visit(copy);
  return copy;
}
