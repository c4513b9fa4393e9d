/**
 * The API's own refusals through the MCP server, with the official MCP SDK's
 * client against the compiled test gateway (test/support/mcp-gateway.ts): a
 * bearer-protected tool answered with the 401 and protected-resource
 * metadata MCP clients sign in with (403 for a missing scope), and a rate
 * limit's refusal as a tool error with the limit's detail.
 */
import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from "@modelcontextprotocol/sdk/client/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveMcpGateway, text, type McpGateway } from "../support/mcp-gateway.ts";

let gateway: McpGateway;
const connect: McpGateway["connect"] = (headers, revision) => gateway.connect(headers, revision);

beforeAll(async () => {
  gateway = await serveMcpGateway("mcp-auth");
}, 180_000);

afterAll(async () => {
  await gateway?.close();
});

describe("the API's refusals through the MCP server", () => {
  it("answers a tool call without a staff token with 401 and the protected-resource metadata MCP clients sign in with", async () => {
    const anonymous = await connect();
    await expect(anonymous.client.callTool({ name: "delete_exhibit", arguments: { id: "ex-1" } })).rejects.toMatchObject({ code: 401 });
    const response = await fetch(gateway.mcp, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "delete_exhibit", arguments: { id: "ex-1" } } }),
    });
    expect(response.status).toBe(401);
    const metadataUrl = new URL("/.well-known/oauth-protected-resource/mcp", gateway.url);
    expect(extractWWWAuthenticateParams(response)).toMatchObject({ resourceMetadataUrl: metadataUrl, scope: "exhibits.delete" });
    expect(await response.json()).toMatchObject({ id: 9, error: { message: "The tool delete_exhibit needs credentials." } });
    const metadata = await discoverOAuthProtectedResourceMetadata(gateway.mcp, { resourceMetadataUrl: metadataUrl });
    expect(metadata).toMatchObject({
      resource: gateway.mcp.href,
      authorization_servers: ["https://id.museum.example/"],
      scopes_supported: ["exhibits.delete"],
    });

    const lacking = await fetch(gateway.mcp, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await gateway.staffToken([])}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 10, method: "tools/call", params: { name: "delete_exhibit", arguments: { id: "ex-1" } } }),
    });
    expect(lacking.status).toBe(403);
    expect(lacking.headers.get("www-authenticate")).toMatch(/^Bearer resource_metadata=".*", error="insufficient_scope", scope="exhibits.delete"$/);

    const staff = await connect({ authorization: `Bearer ${await gateway.staffToken(["exhibits.delete"])}` });
    const deleted = await staff.client.callTool({ name: "delete_exhibit", arguments: { id: "ex-1" } });
    expect(deleted.isError).toBeFalsy();
    expect(text(deleted)).toBe("The operation answered 204 with no content.");
  });

  it("refuses a call over the operation's rate limit with the limit's detail", async () => {
    const { client } = await connect();
    for (let i = 0; i < 2; i++) expect(text(await client.callTool({ name: "limited_ping", arguments: {} }))).toBe("pong");
    const limited = await client.callTool({ name: "limited_ping", arguments: {} });
    expect(limited.isError).toBe(true);
    expect(text(limited)).toMatch(/^429 Too Many Requests: Too many requests: the limit is 2\. Retry in \d+ s\.$/);
  });
});
