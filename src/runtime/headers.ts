/**
 * @module
 * Header helpers shared by the built-ins. Copies are made by the runtime
 * (`new Headers(headers)`) and trimmed in place: a JavaScript loop appending
 * every field costs more per request than the gateway's own work.
 */

/**
 * RFC 9110 §7.6.1 hop-by-hop headers and the proxy ones (RFC 9110 §11.7, the
 * legacy Proxy-Connection), deleted by name: iterating a Headers object costs
 * more than all of these deletes.
 */
export const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "te",
  "transfer-encoding",
  "upgrade",
  "trailer",
  "proxy-authorization",
  "proxy-authenticate",
  "proxy-authentication-info",
  "proxy-connection",
];

/**
 * Headers some servers and frameworks read as the request's real method or
 * URL (ASP.NET, OData, IIS, Symfony, nginx and Traefik auth subrequests,
 * Spring, Next.js middleware). The gateway authenticates, limits and routes by
 * the method and path it sees, so an upstream that honours one of these would
 * run a request the gateway never checked: an open GET read as a DELETE. A
 * client's are dropped on arrival; a policy may still set one for the upstream.
 */
const CLIENT_OVERRIDES = [
  "x-http-method-override",
  "x-http-method",
  "x-method-override",
  "x-original-method",
  "x-forwarded-method",
  "x-original-url",
  "x-rewrite-url",
  "x-original-uri",
  "x-forwarded-uri",
  "x-forwarded-path",
  "x-forwarded-prefix",
  "x-middleware-subrequest",
];

/** RFC 9110 token: a Connection option that is not one names no field (and Headers.delete would throw). */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** The field names a Connection header lists (RFC 9110 §7.6.1); tokens that are no field name are left out. */
export function connectionOptions(headers: Headers): string[] {
  const connection = headers.get("connection");
  if (!connection) return [];
  return connection
    .split(",")
    .map((token) => token.trim().toLowerCase())
    .filter((name) => FIELD_NAME.test(name));
}

/** Removes hop-by-hop headers from `headers`, including those Connection names. */
function removeHopByHop(headers: Headers): void {
  for (const name of connectionOptions(headers)) headers.delete(name);
  for (const name of HOP_BY_HOP) headers.delete(name);
}

/** What almost every client sends as its Connection header: nothing else to remove. */
const PLAIN_CONNECTION = /^[ \t]*(?:keep-alive|close)[ \t]*$/i;

/** The hop-by-hop fields other than Connection, which is read for the names it lists. */
const HOP_BY_HOP_FIELDS = HOP_BY_HOP.filter((name) => name !== "connection");

/** Whether `headers` carry hop-by-hop fields beyond a plain `Connection: keep-alive` or `close`. */
export function carriesHopByHop(headers: Headers): boolean {
  const connection = headers.get("connection");
  if (connection !== null && !PLAIN_CONNECTION.test(connection)) {
    if (connectionOptions(headers).some((name) => name !== "keep-alive" && name !== "close")) return true;
  }
  for (let i = 0; i < HOP_BY_HOP_FIELDS.length; i++) if (headers.has(HOP_BY_HOP_FIELDS[i])) return true;
  return false;
}

/** Whether the client sent one of the method or URL overrides. */
function sendsOverride(headers: Headers): boolean {
  for (let i = 0; i < CLIENT_OVERRIDES.length; i++) if (headers.has(CLIENT_OVERRIDES[i])) return true;
  return false;
}

/**
 * The request without hop-by-hop headers and the client's method and URL
 * overrides, the same object when it has none: taken out before any policy
 * runs, so a client's `Connection: x-tenant` cannot have a later step remove
 * what a policy set, and no policy mistakes a client's override for its own.
 */
export function withoutHopByHopOrOverrides(request: Request, upgrade?: "websocket"): Request {
  const { headers } = request;
  if (!sendsOverride(headers) && !carriesHopByHop(headers)) return request;
  const out = withoutHopByHop(headers);
  for (const name of CLIENT_OVERRIDES) out.delete(name);
  // A handshake to an operation that takes it keeps its Upgrade, read alone: `wrangler dev` drops Connection.
  if (upgrade && headers.get("upgrade")?.trim().toLowerCase() === upgrade) out.set("upgrade", upgrade);
  return editableRequest(request, out);
}

/** A copy of `headers` without hop-by-hop headers (see removeHopByHop). */
export function withoutHopByHop(headers: Headers): Headers {
  const out = new Headers(headers);
  removeHopByHop(out);
  return out;
}

/** A response whose headers may be changed (those from fetch are immutable); a WebSocket handshake's 101 keeps its socket. */
export function editableResponse(response: Response, headers = new Headers(response.headers)): Response {
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
    webSocket: response.webSocket,
  });
}

/** A request whose headers may be changed. */
export function editableRequest(request: Request, headers = new Headers(request.headers)): Request {
  return new Request(request, { headers });
}
