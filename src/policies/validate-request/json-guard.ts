/**
 * @module
 * What JSON.parse lets through but a gateway must refuse: nesting deeper than
 * the validators may recurse, duplicate keys (two parsers could disagree on
 * which one wins), lone surrogates, and numbers that overflow to Infinity.
 * One linear scan before parsing and one walk after; hand-written because no
 * library checks these without building its own parse tree.
 */

export const MAX_DEPTH = 64;

/** Scans JSON text for nesting depth and duplicate keys; returns a complaint or undefined. */
export function scanJson(text: string, maxDepth = MAX_DEPTH): string | undefined {
  const stack: Array<{ keys?: Set<string>; expectKey: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      const top = stack.at(-1);
      if (top?.keys && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(start, i + 1)) as string;
        } catch {
          return undefined; // malformed: JSON.parse will say so
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

/** Walks a parsed value for lone surrogates and non-finite numbers. */
export function checkParsed(value: unknown, pointer = ""): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `The number at ${pointer || "/"} is out of range.`;
  if (typeof value === "string") return value.isWellFormed() ? undefined : `The string at ${pointer || "/"} holds a lone surrogate.`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = checkParsed(value[i], `${pointer}/${i}`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (!key.isWellFormed()) return `A key at ${pointer || "/"} holds a lone surrogate.`;
      const problem = checkParsed(item, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** Parses JSON text, or says in one sentence why it is refused. */
export function parseJson(text: string): { value: unknown } | { error: string } {
  const scanned = scanJson(text);
  if (scanned) return { error: scanned };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `The body is not valid JSON: ${(error as Error).message}` };
  }
  const problem = checkParsed(value);
  return problem ? { error: problem } : { value };
}
