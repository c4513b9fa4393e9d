/**
 * @module
 * Paths whose segments mix text and parameters (`/files/{name}.{ext}`),
 * matched in time linear in the path. The regular expression such a template
 * reads as (`([^/]+?)\.([^/]+?)`) backtracks: with three parameters in a
 * segment, or two and a path that fails after it, a segment of dots costs
 * the square or the cube of its length, and a URL may be 16 KB long.
 *
 * Written by hand because no engine without code generation gives the
 * captures in linear time for free (re2js would add its size to every
 * bundle). It gives what the lazy expression gives: each parameter is the
 * shortest non-empty text after which the rest of the segment still matches.
 * That is simply the text up to the first occurrence of the literal that
 * follows it: the rest of a segment that matches from some position also
 * matches from any earlier one (the parameter before it takes the
 * difference), so if the first occurrence fails, every later one fails too.
 */

/** One segment of the template: its literal text or parameter name, in order. */
type Part = { text: string } | { name: string };
type Segment = Part[];

/** Raw (still percent-encoded) parameter values by name, or undefined when the path does not match. */
export type SegmentMatcher = (pathname: string) => Array<[string, string]> | undefined;

function parse(template: string): Segment[] {
  return template
    .split("/")
    .slice(1)
    .map((segment) =>
      segment
        .split(/(\{[^{}]+\})/)
        .filter(Boolean)
        .map((part): Part => (part.startsWith("{") ? { name: part.slice(1, -1) } : { text: part })),
    );
}

/** Matches one segment of the path, appending its parameters to `into`; false when it does not match. */
function matchSegment(parts: Segment, text: string, into: Array<[string, string]>): boolean {
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if ("text" in part) {
      if (!text.startsWith(part.text, at)) return false;
      at += part.text.length;
      continue;
    }
    const next = parts[i + 1];
    if (next === undefined) {
      if (at >= text.length) return false;
      into.push([part.name, text.slice(at)]);
      return true;
    }
    // A parameter is never empty; followed by another parameter it takes one character (the lazy minimum).
    const end = "text" in next ? text.indexOf(next.text, at + 1) : at + 1;
    if (end < 0) return false;
    into.push([part.name, text.slice(at, end)]);
    at = end;
  }
  return at === text.length;
}

/** A matcher for `template` (base path included, OpenAPI syntax) over a request's raw pathname. */
export function segmentMatcher(template: string): SegmentMatcher {
  const segments = parse(template);
  return (pathname) => {
    const texts = pathname.split("/").slice(1);
    if (texts.length !== segments.length) return undefined;
    const params: Array<[string, string]> = [];
    for (let i = 0; i < segments.length; i++) {
      if (!matchSegment(segments[i], texts[i], params)) return undefined;
    }
    return params;
  };
}
