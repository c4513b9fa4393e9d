/**
 * @module
 * The MCP page: where the gateway's Model Context Protocol server answers,
 * a client configuration to copy, and each tool with the operation it runs.
 */
import type { PortalMcp } from "../portal-input.ts";
import { codeBlock } from "./highlight.ts";
import { escapeHtml, methodBadge } from "./html.ts";
import { descriptionLine } from "./markdown.ts";
import { serverUrl } from "./operation-model.ts";
import { served, type SiteOperation } from "./site.ts";

/** Where the page is served, from the base path (written to mcp.html). */
export const MCP_PAGE = "mcp";

/** A server given as a path only is relative to the gateway: `npm run dev` serves it here. */
const LOCAL_GATEWAY = "http://localhost:8787";

/** The server's URL: the MCP path on the origin of the document's first server. */
export function mcpEndpoint(document: Record<string, any>, mcp: PortalMcp): string {
  const server = serverUrl(document);
  const origin = /^https?:\/\//.test(server) ? new URL(server).origin : LOCAL_GATEWAY;
  const query = new URLSearchParams(mcp.query).toString();
  return `${origin}${mcp.path}${query ? `?${query}` : ""}`;
}

/** The `mcpServers` entry Claude Desktop, VS Code and Cursor read (VS Code names the key `servers`). */
export function clientConfiguration(document: Record<string, any>, mcp: PortalMcp): string {
  const entry = { url: mcpEndpoint(document, mcp), ...(Object.keys(mcp.headers).length > 0 ? { headers: mcp.headers } : {}) };
  return JSON.stringify({ mcpServers: { [mcp.name]: entry } }, null, 2);
}

function copyable(code: string, label: string): string {
  return `<div class="sample-code"><button type="button" class="copy" data-copy hidden aria-label="Copy the ${escapeHtml(label)}">Copy</button>${codeBlock(code, "json")}</div>`;
}

export function mcpBody(document: Record<string, any>, mcp: PortalMcp, operations: SiteOperation[]): string {
  const endpoint = mcpEndpoint(document, mcp);
  const signIn = mcp.issuers.length
    ? `<p>Clients sign in with ${mcp.issuers.map((issuer) => `<code>${escapeHtml(issuer)}</code>`).join(" or ")}: the server tells them where when a call needs a token.</p>`
    : "";
  const credentials = Object.keys(mcp.headers).length + Object.keys(mcp.query).length;
  const rows = mcp.tools.map((tool) => {
    const op =
      operations.find((candidate) => candidate.method === tool.method && candidate.path === tool.path) ??
      operations.find((candidate) => candidate.id === tool.operationId);
    const runs = op
      ? `<a href="${escapeHtml(served.operation(op.slug))}">${methodBadge(op.method)} <code class="path">${escapeHtml(op.path)}</code></a>`
      : `${methodBadge(tool.method)} <code class="path">${escapeHtml(tool.path)}</code>`;
    const text = tool.description ?? tool.title;
    return `<tr id="tool-${escapeHtml(tool.name)}"><td><code>${escapeHtml(tool.name)}</code></td><td>${text ? descriptionLine(text, 240) : ""}</td><td>${runs}</td></tr>`;
  });
  return [
    `<h1>MCP server</h1>`,
    `<p>AI agents can call this API's operations as the tools of a <a href="https://modelcontextprotocol.io">Model Context Protocol</a> server, over Streamable HTTP at <code>${escapeHtml(endpoint)}</code>. Each tool call is a call of its operation: the same credentials, validation and limits apply.</p>`,
    `<section aria-labelledby="configuration"><h2 id="configuration">Client configuration</h2>`,
    `<p>For clients that take a server's URL (Claude Desktop, Cursor; VS Code names the key <code>servers</code>)${credentials ? ", with your credential in place of the placeholder" : ""}:</p>`,
    copyable(clientConfiguration(document, mcp), "client configuration"),
    signIn,
    `</section>`,
    `<section aria-labelledby="tools"><h2 id="tools">Tools</h2>`,
    rows.length
      ? `<table class="mcp-tools"><thead><tr><th scope="col">Tool</th><th scope="col">Description</th><th scope="col">Runs</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
      : `<p>No operation is served as a tool.</p>`,
    `</section>`,
  ].join("\n");
}
