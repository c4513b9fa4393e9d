/**
 * @module
 * Walking a bundled OpenAPI document: JSON pointers, internal $refs followed
 * to where they stand, and its operations in document order.
 */

export type Json = any;

export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One token of a JSON pointer (RFC 6901). */
export const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

export const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === "object" && !Array.isArray(value);

/** A value as text in a request: objects as JSON, nothing as "". */
export const text = (value: unknown): string =>
  value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);

export function pointerGet(root: Json, pointer: string): Json {
  if (pointer === "") return root;
  return pointer
    .slice(1)
    .split("/")
    .reduce((node, raw) => node?.[raw.replaceAll("~1", "/").replaceAll("~0", "~")], root);
}

/** The object behind `value`'s $refs, and the pointer where it stands. */
export function follow(document: Json, value: Json, pointer: string): { node: Json; pointer: string } {
  for (let hops = 0; hops < 32 && isObject(value) && typeof value.$ref === "string" && value.$ref.startsWith("#"); hops++) {
    pointer = decodeURIComponent(value.$ref.slice(1));
    value = pointerGet(document, pointer);
  }
  return { node: value, pointer };
}

/** Every operation of the document in document order: path, method and pointer. */
export function operationsOf(document: Json): Array<{ path: string; method: string; pointer: string }> {
  const out: Array<{ path: string; method: string; pointer: string }> = [];
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    const { node, pointer } = follow(document, item, `/paths/${escape(path)}`);
    for (const method of METHODS) if (isObject(node?.[method])) out.push({ path, method, pointer: `${pointer}/${method}` });
  }
  return out;
}
