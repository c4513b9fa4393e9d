/**
 * @module
 * Requests as the edge hands them to the gateway: an absolute URL and the
 * caller's address in CF-Connecting-IP (what `by: ip` limits and IP rules read).
 */

export interface TestRequestInit {
  method?: string;
  headers?: HeadersInit;
  /** Sent as JSON, with `content-type: application/json` unless headers say otherwise. */
  json?: unknown;
  /** Any other body, sent as is. */
  body?: BodyInit;
  /** Added to the URL's query string. */
  query?: Record<string, string>;
  /** The caller's address; a fresh documentation address (2001:db8::/32) when not given, so tests do not share an ip bucket. */
  ip?: string;
}

/** The host a relative path is resolved against. */
export const TEST_ORIGIN = "https://api.example.com";

/**
 * Builds a Request for a policy, handler or the whole gateway.
 *
 * @example
 * ```ts
 * const request = testRequest("/v1/tickets", { method: "POST", json: { type: "adult" }, ip: "203.0.113.7" });
 * ```
 */
export function testRequest(path: string, init: TestRequestInit = {}): Request {
  const url = new URL(path, TEST_ORIGIN);
  for (const [name, value] of Object.entries(init.query ?? {})) url.searchParams.append(name, value);
  const headers = new Headers(init.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", init.ip ?? randomAddress());
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const method = init.method ?? (body === undefined ? "GET" : "POST");
  return new Request(url, { method, headers, body });
}

function randomAddress(): string {
  const group = () => Math.floor(Math.random() * 0x10000).toString(16);
  return `2001:db8:${group()}:${group()}::1`;
}
