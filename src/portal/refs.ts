/**
 * @module
 * Internal $refs of the bundled document, followed lazily so that a
 * recursive schema is never expanded into an infinite tree.
 */

export function pointerTarget(document: Record<string, any>, ref: string): any {
  if (!ref.startsWith("#")) return undefined;
  const tokens = ref
    .slice(1)
    .split("/")
    .slice(1)
    .map((token) => safeDecode(token).replaceAll("~1", "/").replaceAll("~0", "~"));
  return tokens.reduce((node: any, token) => (node == null ? undefined : node[token]), document);
}

/** Follows a chain of $refs; a value without one comes back as it is. */
export function resolve<T = any>(document: Record<string, any>, value: T): T {
  let current: any = value;
  const seen = new Set<string>();
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    if (seen.has(current.$ref)) return {} as T;
    seen.add(current.$ref);
    const target = pointerTarget(document, current.$ref);
    if (target === undefined) return {} as T;
    current = target;
  }
  return current as T;
}

/** "#/components/schemas/Pet" gives "Pet". */
export function refName(ref: string): string {
  const last = ref.split("/").pop() ?? ref;
  return safeDecode(last).replaceAll("~1", "/").replaceAll("~0", "~");
}

function safeDecode(token: string): string {
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}
