import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempProject } from "../support/temp-project.ts";
import { compile } from "../../src/compiler/compile.ts";
import { generatePortal } from "../../src/portal/generate.ts";

const document = `openapi: 3.1.0
info: { title: Museum, version: "1" }
servers: [{ url: https://api.museum.example/v1 }]
security: [{ key: [] }]
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-API-Key }
x-portico:
  handler: mock
  mcp: { name: museum, include: { tags: [Exhibits] } }
paths:
  /exhibits:
    get:
      operationId: listExhibits
      tags: [Exhibits]
      summary: List exhibits
      description: "Every exhibit on show, <b onclick=alert(1)>newest</b> first."
      responses: { "200": { description: ok, content: { application/json: { schema: { type: object } } } } }
  /exhibits/{id}:
    delete:
      operationId: removeExhibit
      tags: [Exhibits]
      summary: Remove an exhibit
      x-portico: { mcp: { tool: take_down } }
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { "204": { description: gone } }
  /tickets:
    post:
      operationId: buyTicket
      tags: [Tickets]
      responses: { "201": { description: bought } }
`;

async function portalOf(text: string) {
  const root = tempProject({ "openapi/openapi.yaml": text, "portal/portal.config": "title: Museum\n" });
  const result = await compile({ root, check: true });
  expect(result.errors.map((error) => error.format())).toEqual([]);
  const outDir = join(root, "dist", "portal");
  await generatePortal({ ...result.portal!, root, outDir });
  return { portal: result.portal!, read: (path: string) => readFileSync(join(outDir, "docs", path), "utf8") };
}

describe("the portal's MCP page", () => {
  it("shows the endpoint, a client configuration with the API's credential placeholder, and each tool linked to its operation", async () => {
    const { portal, read } = await portalOf(document);
    expect(portal.mcp?.tools.map((tool) => tool.name)).toEqual(["list_exhibits", "take_down"]);
    const html = read("mcp.html");
    expect(html).toContain("<code>https://api.museum.example/mcp</code>");
    // Every page's header leads to it, marked on the page itself.
    expect(read("index.html")).toContain('<a class="account" href="mcp">MCP server</a>');
    expect(html).toContain('<a class="account" href="mcp" aria-current="page">MCP server</a>');
    const configuration = html.match(/<div class="sample-code"><button[^>]*data-copy[^>]*>Copy<\/button><pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/)?.[1];
    const text = configuration!
      .replace(/<[^>]+>/g, "")
      .replaceAll("&quot;", '"')
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&");
    expect(JSON.parse(text)).toEqual({ mcpServers: { museum: { url: "https://api.museum.example/mcp", headers: { "X-API-Key": "<your API key>" } } } });
    // Each tool: its name, its description (rendered as the portal renders descriptions, sanitized), and a link to the page of the operation it runs.
    expect(html).toMatch(
      /<tr id="tool-list_exhibits"><td><code>list_exhibits<\/code><\/td><td>Every exhibit on show, <b>newest<\/b> first\.<\/td><td><a href="operations\/listExhibits">/,
    );
    expect(html).toMatch(
      /<tr id="tool-take_down"><td><code>take_down<\/code><\/td><td>Remove an exhibit<\/td><td><a href="operations\/removeExhibit"><span class="method method-delete">DELETE/,
    );
    expect(html).not.toContain("buy_ticket");
    // The copy button is the code samples' own, loaded by the page's script.
    expect(html).toMatch(/<script defer src="assets\/try-it\.[\w-]+\.js"><\/script>/);
  });

  it("puts a query key in the URL, a bearer token in Authorization, and names the issuer clients sign in with", async () => {
    const bearer = document
      .replace("security: [{ key: [] }]", "security: [{ token: [] }]")
      .replace(
        "key: { type: apiKey, in: header, name: X-API-Key }",
        "token: { type: http, scheme: bearer }\n    key: { type: apiKey, in: query, name: api_key }",
      )
      .replace("servers: [{ url: https://api.museum.example/v1 }]", "servers: [{ url: /v1 }]")
      .replace("operationId: removeExhibit", "operationId: removeExhibit\n      security: [{ key: [] }]");
    const { read } = await portalOf(bearer);
    const html = read("mcp.html");
    expect(html).toContain("<code>http://localhost:8787/mcp?api_key=%3Cyour+API+key%3E</code>");
    expect(html).toContain("Bearer &lt;access token&gt;");

    const oauth = document
      .replace("security: [{ key: [] }]", "security: [{ id: [] }]")
      .replace("key: { type: apiKey, in: header, name: X-API-Key }", "id: { type: http, scheme: bearer, x-portico: { issuer: https://id.museum.example/ } }");
    const signIn = (await portalOf(oauth)).read("mcp.html");
    expect(signIn).toContain("Clients sign in with <code>https://id.museum.example/</code>");
    expect(signIn).not.toContain('"headers"');
  });

  it("is not written without x-portico.mcp", async () => {
    const { portal, read } = await portalOf(document.replace("  mcp: { name: museum, include: { tags: [Exhibits] } }\n", ""));
    expect(portal.mcp).toBeUndefined();
    expect(() => read("mcp.html")).toThrow(/ENOENT/);
    expect(read("index.html")).not.toContain("MCP server");
  });
});
