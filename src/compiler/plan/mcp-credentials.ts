/**
 * @module
 * The credentials an MCP tool call carries on to the operation: the
 * Authorization header, and the header, cookie and query parameters the
 * document's apiKey schemes name.
 */
import type { McpConfig } from "../../mcp/options.ts";
import { resolved } from "./mcp-schemas.ts";

/** The headers (lower case) and query parameters of a tool call that are passed on as credentials. */
export function toolCredentials(document: Record<string, any>): McpConfig["credentials"] {
  const schemes = Object.values<any>(document.components?.securitySchemes ?? {}).map((scheme) => resolved(document, scheme) ?? {});
  const apiKeys = (place: string) => schemes.filter((scheme) => scheme.type === "apiKey" && scheme.in === place).map((scheme) => String(scheme.name));
  const headers = ["authorization", ...apiKeys("header").map((name) => name.toLowerCase()), ...(apiKeys("cookie").length > 0 ? ["cookie"] : [])];
  return { headers: [...new Set(headers)], query: apiKeys("query") };
}
