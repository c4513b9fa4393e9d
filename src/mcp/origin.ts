/**
 * @module
 * The Origin check MCP's Streamable HTTP transport requires ("Servers MUST
 * validate the Origin header on all incoming connections to prevent DNS
 * rebinding attacks"), and the CORS answers of the origins it admits.
 */
import { clientAddress, inRange, parseAddress, parseRange } from "../runtime/client-address.ts";

/** Loopback and private networks: where a server can be reached under a name an attacker's DNS points at it. */
const LOCAL_NETWORKS = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "::1/128", "fc00::/7", "fe80::/10"].map((range) =>
  parseRange(range)!,
);

const isLoopbackName = (host: string) => host === "localhost" || host.endsWith(".localhost") || host === "127.0.0.1" || host === "[::1]";

/** Whether the caller reached the gateway from this machine or its network (npm run dev), or from no known address. */
function localCaller(request: Request): boolean {
  const address = clientAddress(request);
  const parsed = address === undefined ? undefined : parseAddress(address);
  return !parsed || LOCAL_NETWORKS.some((range) => inRange(parsed, range));
}

/**
 * Whether a browser page of `origin` may call the server: one of the listed origins, or the
 * gateway's own. DNS rebinding makes an attacker's page same-origin with its own name once that
 * name resolves to a server on the victim's machine, so a local caller's own origin counts only
 * under a loopback name (localhost, 127.0.0.1, [::1]). On the edge, requests reach a Worker by
 * the names of its routes, and callers are never local.
 */
export function originAllowed(origin: string, request: Request, listed: readonly string[]): boolean {
  if (listed.includes(origin)) return true;
  const own = new URL(request.url);
  if (origin !== own.origin) return false;
  return isLoopbackName(own.hostname) || !localCaller(request);
}

/** CORS headers of an admitted browser origin's answer. */
export function corsHeaders(origin: string | null): Record<string, string> {
  if (!origin) return {};
  return { "access-control-allow-origin": origin, "access-control-expose-headers": "www-authenticate, mcp-protocol-version", vary: "origin" };
}

/** The answer to a preflight of an admitted origin: the transport's headers and the credentials' (API key headers). */
export function preflight(origin: string, credentialHeaders: readonly string[]): Response {
  const headers = ["content-type", "accept", "mcp-protocol-version", "mcp-session-id", "last-event-id", ...credentialHeaders];
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(origin),
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers": [...new Set(headers)].join(", "),
      "access-control-max-age": "600",
    },
  });
}
