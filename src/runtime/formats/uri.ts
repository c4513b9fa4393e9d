/**
 * @module
 * RFC 3986's URIs and RFC 3987's IRIs as regular expressions, for the uri,
 * uri-reference, iri and iri-reference formats: ajv-formats' uri-reference
 * lets through characters RFC 3986 does not allow (a double quote, for one),
 * and it has no IRI formats.
 */
import { IPV6 } from "./ip-address.ts";

const HEX = "[0-9A-Fa-f]";

/** A percent-encoded octet. */
export const PCT_ENCODED = `%${HEX}{2}`;

/** RFC 3987's `ucschar`: what an IRI takes beyond a URI's unreserved characters. */
export const UCS =
  "\\u{A0}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFEF}\\u{10000}-\\u{1FFFD}\\u{20000}-\\u{2FFFD}\\u{30000}-\\u{3FFFD}\\u{40000}-\\u{4FFFD}\\u{50000}-\\u{5FFFD}\\u{60000}-\\u{6FFFD}\\u{70000}-\\u{7FFFD}\\u{80000}-\\u{8FFFD}\\u{90000}-\\u{9FFFD}\\u{A0000}-\\u{AFFFD}\\u{B0000}-\\u{BFFFD}\\u{C0000}-\\u{CFFFD}\\u{D0000}-\\u{DFFFD}\\u{E1000}-\\u{EFFFD}";

/** RFC 3987's `iprivate`, allowed in an IRI's query only. */
export const PRIVATE_USE = "\\u{E000}-\\u{F8FF}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}";

/** An absolute URI (or IRI) and a URI reference, which may also be relative. */
export interface UriGrammar {
  absolute: RegExp;
  reference: RegExp;
}

function uriGrammar(international: boolean): UriGrammar {
  const unreserved = `A-Za-z0-9\\-._~${international ? UCS : ""}`;
  const sub = "!$&'()*+,;=";
  const pchar = `(?:[${unreserved}${sub}:@]|${PCT_ENCODED})`;
  const segment = `${pchar}*`;
  const authority = `(?:(?:[${unreserved}${sub}:]|${PCT_ENCODED})*@)?(?:\\[(?:${IPV6}|[vV]${HEX}+\\.[${unreserved}${sub}:]+)\\]|(?:[${unreserved}${sub}]|${PCT_ENCODED})*)(?::\\d*)?`;
  const pathAbsolute = `/(?:${pchar}+(?:/${segment})*)?`;
  const tail = `(?:\\?(?:${pchar}|[/?${international ? PRIVATE_USE : ""}])*)?(?:#(?:${pchar}|[/?])*)?`;
  const scheme = "[A-Za-z][A-Za-z0-9+.\\-]*";
  const absolute = `${scheme}:(?://${authority}(?:/${segment})*|${pathAbsolute}|${pchar}+(?:/${segment})*|)`;
  const relative = `(?://${authority}(?:/${segment})*|${pathAbsolute}|(?:[${unreserved}${sub}@]|${PCT_ENCODED})+(?:/${segment})*|)`;
  return { absolute: new RegExp(`^${absolute}${tail}$`, "u"), reference: new RegExp(`^(?:${absolute}|${relative})${tail}$`, "u") };
}

export const uri = uriGrammar(false);
export const iri = uriGrammar(true);
