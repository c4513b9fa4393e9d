/**
 * @module
 * What the developer portal shows of the MCP server, planned once with the
 * server itself: its tools with the operation each runs, and what a client's
 * configuration sends to authenticate, a placeholder per credential the
 * tools' operations take.
 */
import type { McpConfig } from "../../mcp/options.ts";
import type { PortalMcp } from "../../portal-input.ts";
import { resolved } from "./mcp-schemas.ts";
import { issuerOf } from "./mcp-tools.ts";

/** The operation a tool runs, as the document names it. */
export interface ToolOperation {
  operationId: string;
  /** Lower case, as the document has it. */
  method: string;
  /** The document's path key. */
  path: string;
}

const API_KEY = "<your API key>";

export function portalMcp(document: Record<string, any>, config: McpConfig, operations: ToolOperation[]): PortalMcp {
  const headers: Record<string, string> = {};
  const query: Record<string, string> = {};
  const issuers = new Set<string>();
  for (const op of operations) {
    const security: unknown = document.paths[op.path][op.method].security ?? document.security ?? [];
    // The first requirement is the one the portal's samples use too; a client configures one way in.
    const first = Array.isArray(security) ? security[0] : undefined;
    for (const name of Object.keys(first ?? {})) {
      const scheme = resolved(document, document.components?.securitySchemes?.[name]) ?? {};
      const issuer = issuerOf(scheme);
      if (issuer) issuers.add(issuer);
      else if (scheme.type === "apiKey" && scheme.in === "header") headers[String(scheme.name)] = API_KEY;
      else if (scheme.type === "apiKey" && scheme.in === "query") query[String(scheme.name)] = API_KEY;
      else if (scheme.type === "apiKey" && scheme.in === "cookie") headers.Cookie = `${scheme.name}=${API_KEY}`;
      else if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "basic") headers.Authorization = "Basic <base64 of user:password>";
      else if (scheme.type === "http" || scheme.type === "oauth2" || scheme.type === "openIdConnect")
        headers.Authorization = scheme["x-portico"]?.credential === "apiKey" ? `Bearer ${API_KEY}` : "Bearer <access token>";
    }
  }
  return {
    name: config.name,
    path: config.path,
    tools: config.tools.map((tool, i) => ({
      name: tool.name,
      ...(tool.title ? { title: tool.title } : {}),
      ...(tool.description ? { description: tool.description } : {}),
      ...operations[i],
    })),
    headers,
    query,
    issuers: [...issuers],
  };
}
