/**
 * @module
 * Header helpers shared by the built-ins.
 */

/** RFC 9110 §7.6.1 hop-by-hop headers, plus the Proxy-* family. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "te", "transfer-encoding", "upgrade", "trailer"]);

/** A copy of `headers` without hop-by-hop headers, including those Connection names. */
export function withoutHopByHop(headers: Headers): Headers {
  const named = new Set(
    (headers.get("connection") ?? "")
      .split(",")
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const out = new Headers();
  for (const [name, value] of headers) {
    if (HOP_BY_HOP.has(name) || named.has(name) || name.startsWith("proxy-")) continue;
    out.append(name, value);
  }
  return out;
}

/** A response whose headers may be changed (those from fetch are immutable). */
export function editableResponse(response: Response, headers = new Headers(response.headers)): Response {
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** A request whose headers may be changed. */
export function editableRequest(request: Request, headers = new Headers(request.headers)): Request {
  return new Request(request, { headers });
}
