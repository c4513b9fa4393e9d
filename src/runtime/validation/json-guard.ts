/**
 * @module
 * What JSON.parse lets through but a gateway must refuse: nesting deeper than
 * the validators may recurse, duplicate keys (two parsers could disagree on
 * which one wins), lone surrogates, and numbers that overflow to Infinity.
 * One linear scan before parsing and one walk after; hand-written because no
 * library checks these without building its own parse tree. Request bodies,
 * JSON parameters and upstream responses all go through it.
 */

export const MAX_DEPTH = 64;

/** Scans JSON text for nesting depth and duplicate keys; returns a complaint or undefined. */
export function scanJson(text: string, maxDepth = MAX_DEPTH): string | undefined {
  const stack: Array<{ keys?: Set<string>; expectKey: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c /* \ */) {
          escaped = true;
          i++;
        }
      }
      const top = stack.at(-1);
      if (top?.keys && top.expectKey) {
        // Without an escape the key is its raw text: decoding each one costs a parse call, a large share of the scan.
        let key = text.slice(start + 1, i);
        if (escaped) {
          try {
            key = JSON.parse(text.slice(start, i + 1)) as string;
          } catch {
            return undefined; // malformed: JSON.parse will say so
          }
        }
        if (top.keys.has(key)) return `The key "${key.slice(0, 64)}" appears twice in one object.`;
        top.keys.add(key);
        top.expectKey = false;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return `The JSON nests deeper than ${maxDepth} levels.`;
      stack.push(c === 0x7b ? { keys: new Set(), expectKey: true } : { expectKey: false });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack.at(-1);
      if (top?.keys) top.expectKey = true;
    }
  }
  return undefined;
}

const escape = (token: string | number) => String(token).replaceAll("~", "~0").replaceAll("/", "~1");

/** Walks a parsed value for lone surrogates and non-finite numbers; the pointer is only written for a complaint. */
export function checkParsed(value: unknown): string | undefined {
  const path: Array<string | number> = [];
  const where = () => (path.length === 0 ? "/" : `/${path.map(escape).join("/")}`);
  const walk = (node: unknown): string | undefined => {
    if (typeof node === "number") return Number.isFinite(node) ? undefined : `The number at ${where()} is out of range.`;
    if (typeof node === "string") return node.isWellFormed() ? undefined : `The string at ${where()} holds a lone surrogate.`;
    if (node === null || typeof node !== "object") return undefined;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        const problem = walk(node[i]);
        if (problem) return problem;
        path.pop();
      }
      return undefined;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!key.isWellFormed()) return `A key at ${where()} holds a lone surrogate.`;
      path.push(key);
      const problem = walk(record[key]);
      if (problem) return problem;
      path.pop();
    }
    return undefined;
  };
  return walk(value);
}

/** Parsed JSON, or one sentence saying why it is refused; `malformed` when it is no JSON at all. */
export type JsonRead = { value: unknown } | { error: string; malformed?: true };

/** Parses JSON text, or says in one sentence why it is refused. */
export function parseJson(text: string): JsonRead {
  const scanned = scanJson(text);
  if (scanned) return { error: scanned };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `The body is not valid JSON: ${(error as Error).message}`, malformed: true };
  }
  const problem = checkParsed(value);
  return problem ? { error: problem } : { value };
}
