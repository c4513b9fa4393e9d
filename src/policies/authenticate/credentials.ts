/**
 * @module
 * Reads a scheme's credential from the request, and removes it before the
 * request goes upstream. A credential given twice (two headers, header and
 * query) is ambiguous and counts as bad, never as "pick one".
 */
import type { CredentialPlace, SchemePlan } from "./options.ts";

export type Found = { kind: "missing" } | { kind: "bad" } | { kind: "present"; value: string };

/**
 * The request's URL, parsed on first need: most requests carry no credential
 * in their query, and a URL parse costs more than the rest of the check.
 */
export class RequestUrl {
  readonly href: string;
  #parsed: URL | undefined;
  constructor(href: string) {
    this.href = href;
  }
  get parsed(): URL {
    return (this.#parsed ??= new URL(this.href));
  }
  /** Whether the query has `name`: decided from the raw text without parsing when it cannot (no "?", no escape, no such text). */
  has(name: string): boolean {
    const at = this.href.indexOf("?");
    if (at < 0) return false;
    const query = this.href.slice(at + 1);
    if (!query.includes(name) && !query.includes("%") && !query.includes("+")) return false;
    return this.parsed.searchParams.has(name);
  }
}

const MISSING: Found = { kind: "missing" };
const BAD: Found = { kind: "bad" };

export function cookieValues(header: string | null, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) values.push(part.slice(at + 1).trim());
  }
  return values;
}

function read(request: Request, url: RequestUrl, place: CredentialPlace): Found {
  let values: string[];
  if (place.in === "header") {
    const value = request.headers.get(place.name);
    // Headers joins repeated fields with ", ": a comma means the field came twice.
    values = value === null ? [] : value.includes(",") ? [value, ""] : [value];
  } else if (place.in === "query") {
    values = url.has(place.name) ? url.parsed.searchParams.getAll(place.name) : [];
  } else {
    values = cookieValues(request.headers.get("cookie"), place.name);
  }
  if (values.length === 0) return MISSING;
  if (values.length > 1 || values[0].trim() === "") return BAD;
  return { kind: "present", value: values[0].trim() };
}

/** Where the scheme's credential lives. */
export function placeOf(scheme: SchemePlan): CredentialPlace {
  return scheme.type === "apiKey" ? { in: scheme.in, name: scheme.name } : { in: "header", name: "authorization" };
}

/** The credential of a scheme: the API key, the bearer token (a JWT, an opaque token or an API key), or `user:password` of basic. */
export function credentialOf(request: Request, url: RequestUrl, scheme: SchemePlan): Found {
  const found = read(request, url, placeOf(scheme));
  if (scheme.type === "unusable") return found.kind === "missing" ? found : BAD;
  if (scheme.type === "apiKey" || found.kind !== "present") return found;
  const [word, value, ...rest] = found.value.split(/\s+/);
  const expected = scheme.type === "basic" ? "basic" : "bearer";
  if (word.toLowerCase() !== expected) return MISSING; // another scheme's Authorization
  if (!value || rest.length > 0) return BAD;
  if (scheme.type !== "basic") {
    // RFC 6750 also allows ?access_token=; refusing the mix avoids two different tokens in one request.
    return url.has("access_token") ? BAD : { kind: "present", value };
  }
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
  } catch {
    return BAD;
  }
  return decoded.includes(":") ? { kind: "present", value: decoded } : BAD;
}

/** Drops one parameter from a raw query string, leaving the others byte for byte. */
function withoutQueryParam(search: string, name: string): string {
  const kept = search
    .slice(1)
    .split("&")
    .filter((pair) => {
      try {
        return pair !== "" && decodeURIComponent(pair.split("=")[0].replaceAll("+", " ")) !== name;
      } catch {
        return true;
      }
    });
  return kept.length > 0 ? `?${kept.join("&")}` : "";
}

/** `url` without the query credentials of the given places; as it came when it carries none. */
export function withoutQueryCredentials(url: RequestUrl, places: CredentialPlace[]): string {
  const inQuery = places.filter((place) => place.in === "query" && url.has(place.name));
  if (inQuery.length === 0) return url.href;
  const target = new URL(url.parsed);
  for (const place of inQuery) target.search = withoutQueryParam(target.search, place.name);
  return target.href;
}

/** Removes the header and cookie credentials of the given places (cf. Kong's hide_credentials). */
export function hideHeaderCredentials(headers: Headers, places: CredentialPlace[]): void {
  for (const place of places) {
    if (place.in === "header") headers.delete(place.name);
    else if (place.in === "cookie") {
      const cookie = headers.get("cookie");
      if (!cookie) continue;
      const kept = cookie.split(";").filter((part) => part.split("=")[0].trim() !== place.name);
      if (kept.length > 0) headers.set("cookie", kept.join(";").trim());
      else headers.delete("cookie");
    }
  }
}
