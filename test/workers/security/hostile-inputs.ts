/**
 * What clients send that a document never describes, as fast-check
 * arbitraries: path segments that climb or hide (SECURITY.md P4–P6), query
 * names servers read as the method, hop-by-hop and identity headers (P1, P3,
 * A11, C3), media types beside the declared ones (V4) and near-JSON (V5).
 */
import fc from "fast-check";

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get", "patch", "PROPFIND", "TRACE", "PURGE", "REPORT", "SEARCH", "LOCK"];

const SEGMENTS = [
  "",
  ".",
  "..",
  "%2e",
  "%2E%2e",
  ".%2e",
  "..%2f",
  "..%2F..%2Fadmin",
  "..;",
  "..;param",
  "%2f",
  "%252e%252e",
  "%00",
  "%zz",
  "%",
  "%c0%ae",
  "%c0%ae%c0%ae",
  "%ff",
  "%e9",
  "@evil.com",
  "//169.254.169.254",
  "http:%2F%2Fx",
  "x@y:1",
  "a%3Fb%23c",
  "\\..\\admin",
  "-0",
  "01",
  "1e3",
  "+1",
  "0x10",
  "9".repeat(400),
  "é",
  "%F0%9F%98%80",
  "x".repeat(5000),
];

/** A path segment a client could send in place of a parameter: hostile, odd bytes or plain text. */
export const segment = fc.oneof(
  fc.constantFrom(...SEGMENTS),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }).map(encodeURIComponent),
);

/** Whole-path changes: slashes doubled or added, climbing, case, matrix parameters, long tails. */
export const PATH_CHANGES: Array<[string, (path: string) => string]> = [
  ["as is", (p) => p],
  ["trailing slash", (p) => `${p}/`],
  ["leading double slash", (p) => `/${p}`],
  ["slashes doubled", (p) => p.replaceAll("/", "//")],
  ["dot segment", (p) => p.replace("/", "/./")],
  ["climbs out", (p) => `${p}/../admin`],
  ["climbs encoded", (p) => `${p}/%2e%2e/%2e%2e/admin`],
  ["climbs in", (p) => `/x/..${p}`],
  ["upper case", (p) => p.toUpperCase()],
  ["matrix", (p) => `${p};jsessionid=1`],
  ["nul", (p) => `${p}%00`],
  ["backslash", (p) => p.replaceAll("/", "\\")],
  ["long tail", (p) => `${p}/${"a".repeat(6000)}`],
  ["fragment", (p) => `${p}#frag`],
];

const QUERY_NAMES = [
  "_method",
  ".method",
  "[method",
  " _method",
  "utm_source",
  "a[b]",
  "a[",
  "a[]",
  "filter[min]",
  "filter[__proto__]",
  "tags",
  "limit",
  "",
  "%zz",
  "%00",
  "__proto__",
];
const QUERY_VALUES = ["", "1", "01", "-0", "1e3", "true", "%", "%zz", "%00", "%c0%ae", "DELETE", "a,b", "a|b", "a%20b", '{"city":1}', "x".repeat(3000)];

/** Query pairs beyond the declared ones, already encoded where a client would. */
export const extraQuery = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 6 }).map(encodeURIComponent)),
    fc.oneof(fc.constantFrom(...QUERY_VALUES), fc.string({ maxLength: 10 }).map(encodeURIComponent)),
  ),
  { maxLength: 3 },
);

/** A raw query string that no declared parameter explains. */
export const oddQuery = fc.constantFrom("?", "?&&=&", "?%", "?a=%zz", "?;", "?a=1&a=2&a=3", `?${"a=1&".repeat(1100)}`, "?limit=1&limit=2", "?_method=DELETE");

const HEADERS: Array<[string, string]> = [
  ["connection", "x-secret, close"],
  ["x-secret", "1"],
  ["keep-alive", "timeout=5"],
  ["te", "trailers"],
  ["upgrade", "websocket"],
  ["proxy-authorization", "Basic YTpi"],
  ["proxy-connection", "keep-alive"],
  ["trailer", "x-checksum"],
  ["transfer-encoding", "chunked"],
  ["x-http-method-override", "DELETE"],
  ["x-http-method", "DELETE"],
  ["x-method-override", "PUT"],
  ["x-original-url", "/admin"],
  ["x-rewrite-url", "/admin"],
  ["x-forwarded-host", "evil.example"],
  ["x-forwarded-for", "127.0.0.1"],
  ["forwarded", "for=127.0.0.1;host=evil.example"],
  ["host", "evil.example"],
  ["cf-connecting-ip", "10.0.0.1"],
  ["x-consumer-id", "admin"],
  ["authorization", "Bearer not.a.token"],
  ["authorization", "Basic %%%"],
  ["x-api-key", "pk_unknown"],
  ["x-request-id", "../../etc"],
  ["x-request-id", "r".repeat(300)],
  ["prefer", "code=404"],
  ["prefer", "code=500"],
  ["prefer", "code=abc, example=nope"],
  ["origin", "https://app.example.com"],
  ["origin", "https://evil.example"],
  ["origin", "null"],
  ["access-control-request-method", "DELETE"],
  ["access-control-request-headers", "x-api-key, content-type"],
  ["cookie", "session=a; session=b"],
  ["cookie", "prefs=theme,dark,size; session=%zz"],
  ["x-tenant", "acme"],
  ["x-tenant", "globex"],
  ["range", "bytes=0-1"],
  ["expect", "100-continue"],
  ["content-encoding", "gzip"],
  ["accept", "application/problem+json"],
];

/** A header value a client can send: visible bytes and spaces, never CR, LF or NUL. */
const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 }),
  fc.integer({ min: 4_000, max: 30_000 }).map((n) => "h".repeat(n)),
);

/** Headers beyond the declared ones: hop-by-hop, identity, overrides, random and huge ones. */
export const extraHeaders = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HEADERS) },
    { weight: 1, arbitrary: fc.tuple(fc.stringMatching(/^x-f-[a-z0-9-]{1,10}$/), headerValue) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("x-api-key", "cookie", "content-type", "authorization", "x-trace-id", "x-pages"), headerValue) },
  ),
  { maxLength: 4 },
);

/** Declared media types as clients write them, and types the operation does not take. */
export function contentTypeLike(declared: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(declared) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        `${declared}; charset=utf-8`,
        `${declared};charset=UTF8`,
        `${declared}; charset=utf-7`,
        `${declared}; charset=utf-8; charset=latin1`,
        `${declared} ; charset = utf-8`,
        declared.toUpperCase(),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "text/plain",
        "application/json",
        "application/vnd.api+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "*/*",
        "application/octet-stream",
        "garbage",
        "",
      ),
    },
  );
}

/** JSON text almost right: cut short, doubled keys, BOMs, deep nesting, lone surrogates, overflowing numbers. */
export const JSON_CHANGES: Array<[string, (text: string) => string]> = [
  ["cut short", (t) => t.slice(0, Math.max(0, t.length - 1))],
  ["trailing comma", (t) => t.replace(/}$/, ",}")],
  ["single quotes", (t) => t.replaceAll('"', "'")],
  ["key twice", (t) => t.replace(/^{/, '{"name":1,')],
  ["byte-order mark", (t) => `\uFEFF${t}`],
  ["two byte-order marks", (t) => `\uFEFF\uFEFF${t}`],
  ["overflowing number", (t) => t.replace(/:(-?\d+)/, ":1e400")],
  ["lone surrogate", (t) => t.replace(/"[^"]*"/, '"\\ud800"')],
  ["nested 70 deep", (t) => `${"[".repeat(70)}${t}${"]".repeat(70)}`],
  ["nested 10,000 deep", () => `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`],
  ["twice", (t) => t + t],
  ["prototype keys", (t) => t.replace(/^{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{}},')],
  ["comment", (t) => `${t} // comment`],
  ["NaN", () => "NaN"],
  ["empty", () => ""],
  ["oversized", (t) => `{"pad":"${"p".repeat(70_000)}",${t.slice(1)}`],
];

/** Form fields beyond the described ones: nesting, indexes, prototype names, bad encodings. */
export const extraFormPairs = fc.array(
  fc.tuple(
    fc.constantFrom(
      "meta[__proto__][x]",
      "tags[0]",
      "tags[]",
      "a[b",
      "a[b]c",
      "a[999999999]",
      "meta[a][b][c][d]",
      "name",
      "constructor",
      "%5B%5D",
      "%zz",
      `${"[a]".repeat(40)}`,
    ),
    fc.constantFrom("", "1", "%zz", "%E0%A4%A", "%C0%80", "%00", "+", "{", '{"a":1}', "a|b", "x".repeat(300)),
  ),
  { maxLength: 3 },
);
