/**
 * @module
 * The raw strings of the query and the Cookie header, split into pairs once
 * and decoded on demand, and the error that ends the reading of a parameter.
 * At most MAX_QUERY_PAIRS query pairs or cookies are ever read.
 */

export const MAX_QUERY_PAIRS = 1000;

/** Ends the reading of one parameter; its message completes "<Location> parameter "<name>" …". */
export class Unreadable extends Error {}

interface ParsedQuery {
  search: string;
  /** Decoded key → raw values, in order of appearance. */
  byKey: Map<string, string[]>;
  overflow: boolean;
}

const parsedQueries = new WeakMap<URL, ParsedQuery>();

/** Splits the raw query string once per request; a key that does not decode names no parameter. */
export function parsedQuery(url: URL): ParsedQuery {
  const search = url.search;
  const cached = parsedQueries.get(url);
  if (cached?.search === search) return cached;
  const byKey = new Map<string, string[]>();
  let pairs = 0;
  let overflow = false;
  for (let start = 1; start < search.length;) {
    const amp = search.indexOf("&", start);
    const end = amp < 0 ? search.length : amp;
    if (end > start) {
      if (++pairs > MAX_QUERY_PAIRS) {
        overflow = true;
        break;
      }
      const pair = search.slice(start, end);
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
  const parsed = { search, byKey, overflow };
  parsedQueries.set(url, parsed);
  return parsed;
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
