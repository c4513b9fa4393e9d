/**
 * @module
 * MCP authorization for bearer schemes: the protected-resource metadata of
 * RFC 9728 naming the document's issuer(s), served at
 * /.well-known/oauth-protected-resource followed by the server's path, and
 * the WWW-Authenticate challenge that points MCP clients at it.
 */
import { resolveEnv } from "../runtime/templates.ts";
import { RESOURCE_METADATA_PREFIX, type McpConfig } from "./options.ts";
import type { Challenge } from "./server.ts";

export const metadataUrl = (request: Request, config: McpConfig) => new URL(RESOURCE_METADATA_PREFIX + config.path, request.url).href;

/** The metadata document (RFC 9728 §2): the server's URL as the resource, the issuers (their `${env.X}` filled) as its authorization servers. */
export function resourceMetadata(request: Request, env: unknown, config: McpConfig): Response {
  const resource = config.resource!;
  let issuers: string[];
  try {
    issuers = resolveEnv(resource.issuers, (env ?? {}) as Record<string, unknown>);
  } catch {
    // A missing var: the metadata is still the resource's, without where to sign in.
    issuers = resource.issuers.filter((issuer) => !issuer.includes("${env."));
  }
  const body = {
    resource: new URL(config.path, request.url).href,
    authorization_servers: issuers,
    ...(resource.scopes.length > 0 ? { scopes_supported: resource.scopes } : {}),
    bearer_methods_supported: ["header"],
    resource_name: config.name,
  };
  // Public metadata, read by browser-based clients from any origin (RFC 9728 names no restriction).
  return new Response(JSON.stringify(body), {
    headers: { "content-type": "application/json", "access-control-allow-origin": "*", "cache-control": "public, max-age=3600" },
  });
}

/** RFC 6750 §3 with RFC 9728 §5.1's resource_metadata: what MCP clients read on a 401 or 403 to start signing in. */
export function challengeHeader(challenge: Challenge, request: Request, config: McpConfig): string {
  const error = challenge.status === 403 ? ', error="insufficient_scope"' : challenge.invalidToken ? ', error="invalid_token"' : "";
  const scope = challenge.scopes.length > 0 ? `, scope="${challenge.scopes.join(" ")}"` : "";
  return `Bearer resource_metadata="${metadataUrl(request, config)}"${error}${scope}`;
}
