/**
 * @module
 * Media types as requests carry them: a Content-Type read strictly, and the
 * declared media range it falls under.
 */

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
// RFC 9110 §5.6.4: qdtext or a backslash pair; the two alternatives never overlap, so matching stays linear.
const QUOTED = /"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"/y;
const OWS = /[ \t]*/y;

function match(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/**
 * A Content-Type read strictly by RFC 9110 §8.3: `type/subtype`, then `;`
 * parameters written `name=token` or `name="quoted"`, whitespace only around
 * the `;`, each name once. Anything else is undefined: two parsers that read a
 * doubled boundary or charset differently must never both get the body.
 */
export function parseMediaType(header: string | null): { type: string; charset?: string } | undefined {
  if (!header) return undefined;
  const major = match(TOKEN, header, 0);
  const minor = major && header[major.length] === "/" ? match(TOKEN, header, major.length + 1) : undefined;
  if (!major || !minor) return undefined;
  const parameters = new Map<string, string>();
  let at = major.length + 1 + minor.length;
  for (;;) {
    at += match(OWS, header, at)!.length;
    if (at === header.length) break;
    if (header[at] !== ";") return undefined;
    at += 1 + match(OWS, header, at + 1)!.length;
    if (at === header.length || header[at] === ";") continue;
    const name = match(TOKEN, header, at);
    if (!name || header[at + name.length] !== "=") return undefined;
    at += name.length + 1;
    const raw = match(TOKEN, header, at) ?? match(QUOTED, header, at);
    if (raw === undefined || parameters.has(name.toLowerCase())) return undefined;
    parameters.set(name.toLowerCase(), raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
    at += raw.length;
  }
  return { type: `${major}/${minor}`.toLowerCase(), charset: parameters.get("charset")?.toLowerCase() };
}

/** The declared media type a request's Content-Type falls under: exact, then `type/*`, then `*\/*`. */
export function matchMedia<Rule extends { range: string }>(type: string, media: readonly Rule[]): Rule | undefined {
  const major = type.split("/")[0];
  return media.find((m) => m.range === type) ?? media.find((m) => m.range === `${major}/*`) ?? media.find((m) => m.range === "*/*");
}

/** Whether a media type (already lowercased, without parameters) falls under any of the ranges. */
export function inRanges(type: string, ranges: readonly string[]): boolean {
  return (
    matchMedia(
      type,
      ranges.map((range) => ({ range })),
    ) !== undefined
  );
}

/** The WHATWG Encoding Standard's labels of UTF-8: `charset=utf8` is the same decoder as `charset=utf-8`. */
const UTF8_LABELS = new Set(["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"]);

/** Whether a charset parameter (already lowercased) names UTF-8. */
export function isUtf8Label(charset: string): boolean {
  return UTF8_LABELS.has(charset);
}
