/**
 * @module
 * The raw strings of the query and the Cookie header, split into pairs once
 * and decoded on demand, and the error that ends the reading of a parameter.
 * At most MAX_QUERY_PAIRS query pairs or cookies are ever read.
 */

export const MAX_QUERY_PAIRS = 1000;

/** Ends the reading of one parameter; its message completes "<Location> parameter "<name>" …". */
export class Unreadable extends Error {}

export interface ParsedQuery {
  /** Decoded key → raw values, in order of appearance. */
  byKey: Map<string, string[]>;
  overflow: boolean;
}

/**
 * The query of a request's URL, read from its text: from the first "?" to the
 * fragment. The URL is serialized already (a "?" or "#" in the path or
 * userinfo is percent-encoded), so this is `new URL(href).search` without its
 * "?", at a fraction of a URL parse's cost per request.
 */
export function queryOf(href: string): string {
  const hash = href.indexOf("#");
  const end = hash < 0 ? href.length : hash;
  const at = href.indexOf("?");
  // A "?" in the fragment starts no query.
  return at < 0 || at > end ? "" : href.slice(at + 1, end);
}

/** Splits the raw query string (the text after "?") into pairs; a key that does not decode names no parameter. */
export function parseQuery(query: string): ParsedQuery {
  const byKey = new Map<string, string[]>();
  let pairs = 0;
  let overflow = false;
  for (let start = 0; start < query.length;) {
    const amp = query.indexOf("&", start);
    const end = amp < 0 ? query.length : amp;
    if (end > start) {
      if (++pairs > MAX_QUERY_PAIRS) {
        overflow = true;
        break;
      }
      const pair = query.slice(start, end);
      const equals = pair.indexOf("=");
      const key = decodeOrUndefined((equals < 0 ? pair : pair.slice(0, equals)).replaceAll("+", " "));
      if (key !== undefined) {
        const raw = equals < 0 ? "" : pair.slice(equals + 1);
        const list = byKey.get(key);
        if (list) list.push(raw);
        else byKey.set(key, [raw]);
      }
    }
    start = end + 1;
  }
  return { byKey, overflow };
}

/** The Cookie header's `name=value` pairs; names are decoded as form style encodes them, values stay raw. */
export function cookieJar(header: string): Map<string, string[]> {
  const jar = new Map<string, string[]>();
  for (const pair of header.split(";", MAX_QUERY_PAIRS)) {
    const equals = pair.indexOf("=");
    const name = equals < 0 ? undefined : decodeOrUndefined(pair.slice(0, equals).trim());
    if (name === undefined) continue;
    const value = pair.slice(equals + 1).trim();
    const list = jar.get(name);
    if (list) list.push(value);
    else jar.set(name, [value]);
  }
  return jar;
}

function decodeOrUndefined(text: string): string | undefined {
  try {
    return text.includes("%") ? decodeURIComponent(text) : text;
  } catch {
    return undefined;
  }
}

export function percentDecode(raw: string): string {
  const decoded = decodeOrUndefined(raw);
  if (decoded === undefined) throw new Unreadable("has invalid percent-encoding");
  return withoutNul(decoded);
}

/** Query strings are form-urlencoded: a bare `+` is a space, `%2B` a plus. */
export function formDecode(raw: string): string {
  return percentDecode(raw.replaceAll("+", " "));
}

export function withoutNul(value: string): string {
  if (value.includes("\0")) throw new Unreadable("contains a NUL character");
  return value;
}
