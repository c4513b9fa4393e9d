import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import type { McpConfig } from "../../mcp/options.ts";
import { compile } from "../compile.ts";
import type { SourceSet } from "../spec/sources.ts";
import { planMcp } from "./mcp.ts";

const ok = `responses: { "200": { description: ok, content: { application/json: { schema: { type: object } } } } }`;

/** Builds (check only) a document with these paths, `mcp` as x-portico.mcp when given, and `extra` at the root. */
async function build(paths: string, mcp?: string, extra = "") {
  const root = tempProject({ "openapi/openapi.yaml": spec(paths, `x-portico:\n  handler: mock\n${mcp ? `  mcp: ${mcp}\n` : ""}${extra}`) });
  return compile({ root, check: true });
}

/** What the build hands the MCP server, planned from the document as the build left it. */
async function configOf(paths: string, mcp: string, extra = ""): Promise<McpConfig> {
  return configAt(tempProject({ "openapi/openapi.yaml": spec(paths, `x-portico:\n  handler: mock\n  mcp: ${mcp}\n${extra}`) }));
}

async function configAt(root: string): Promise<McpConfig> {
  const result = await compile({ root, check: true });
  expect(result.errors.map((error) => error.format())).toEqual([]);
  expect(result.warnings.filter((warning) => warning.message.includes("MCP")).map((warning) => warning.format())).toEqual([]);
  const sources = { locate: (pointer: string) => ({ file: "openapi/openapi.yaml", pointer }) } as unknown as SourceSet;
  return planMcp(result.plan!.document, sources, result.plan!.paths).mounts[0].config;
}

const where = (result: Awaited<ReturnType<typeof build>>, severity: "error" | "warning") =>
  [...result.errors, ...result.warnings]
    .filter((found) => found.severity === severity)
    .map(({ message, location }) => ({ message, pointer: location.pointer, line: location.line }));

describe("x-portico.mcp at build time", () => {
  it("refuses an MCP path a document path or template also matches, located where to change it", async () => {
    const exact = await build(`  /mcp: { get: { operationId: a, ${ok} } }`, "{ include: { operations: [a] } }");
    expect(where(exact, "error")).toEqual([
      { message: "The MCP path /mcp is also the document's path /mcp (GET): one of them could never be reached.", pointer: "/x-portico/mcp", line: 5 },
    ]);
    const template = await build(
      `  /{tenant}/tools: { get: { operationId: a, parameters: [{ name: tenant, in: path, required: true, schema: { type: string } }], ${ok} } }`,
      "{ path: /acme/tools }",
    );
    expect(where(template, "error")).toMatchObject([{ message: expect.stringContaining("/{tenant}/tools"), pointer: "/x-portico/mcp/path", line: 5 }]);
    const own = await build(`  /a: { get: { operationId: a, ${ok} } }`, "{ path: /openapi.json }");
    expect(where(own, "error")).toMatchObject([{ message: "The MCP path /openapi.json is a path the gateway keeps for itself." }]);
    // Under a base path, /mcp is free.
    const based = await build(`  /mcp: { get: { operationId: a, ${ok} } }`, "{ include: { operations: [a] } }", "servers: [{ url: /v1 }]\n");
    expect(based.errors).toEqual([]);
  });

  it("names an unknown operation or tag in include, and a tool name given twice", async () => {
    const result = await build(
      `  /exhibits: { get: { operationId: listExhibits, tags: [Exhibits], ${ok} } }
  /other: { get: { operationId: other, x-portico: { mcp: { tool: list_exhibits } }, ${ok} } }`,
      "{ include: { tags: [Exhibits, Exhibit], operations: [listExhibit] } }",
    );
    expect(where(result, "error")).toEqual([
      { message: 'No operation has the tag "Exhibit".', pointer: "/x-portico/mcp/include/tags/1", line: 5 },
      { message: 'No operation has the operationId "listExhibit".', pointer: "/x-portico/mcp/include/operations/0", line: 5 },
      { message: 'The MCP tool name "list_exhibits" is given to both listExhibits and other.', pointer: "/paths/~1other/get/x-portico/mcp/tool", line: 9 },
    ]);
    expect(result.errors[1].hint).toMatch(/^Did you mean "listExhibits"\?/);
    const badName = await build(`  /a: { get: { operationId: a, x-portico: { mcp: { tool: "no spaces" } }, ${ok} } }`, "{}");
    expect(where(badName, "error")[0]).toMatchObject({ pointer: expect.stringMatching(/^\/paths\/~1a\/get\/x-portico\/mcp/) });
    // A duplicate operationId is one error, the compiler's, not a second one about the tool named after it.
    const twice = await build(
      `  /a: { get: { operationId: same, ${ok} } }\n  /b: { get: { operationId: same, ${ok} } }`,
      "{ include: { operations: [same] } }",
    );
    expect(where(twice, "error").map(({ pointer }) => pointer)).toEqual(["/paths/~1b/get/operationId"]);
  });

  it("warns of an operation marked as a tool without a server, a server without tools, a bearer scheme without issuer", async () => {
    const orphan = await build(`  /a: { get: { operationId: a, x-portico: { mcp: true }, ${ok} } }`);
    expect(where(orphan, "warning")).toMatchObject([
      { message: "a is marked as an MCP tool, but the document has no x-portico.mcp: no MCP server is served." },
    ]);
    const empty = await build(`  /a: { get: { operationId: a, ${ok} } }`, "{}");
    expect(where(empty, "warning")).toMatchObject([{ message: "x-portico.mcp serves no tool: no operation is included.", pointer: "/x-portico/mcp" }]);
    const issuerless = await build(
      `  /a: { get: { operationId: a, security: [{ token: [] }], x-portico: { mcp: true }, ${ok} } }`,
      "{}",
      'components:\n  securitySchemes:\n    token:\n      type: http\n      scheme: bearer\n      x-portico: { credential: introspection, introspection: { url: https://id.example/introspect, clientId: gw, clientSecret: "${env.SECRET}" } }\n',
    );
    expect(where(issuerless, "warning")).toEqual([
      {
        message: 'The MCP tools take tokens of the security scheme "token", which names no issuer: MCP clients cannot find where to sign in.',
        pointer: "/components/securitySchemes/token",
        line: 8,
      },
    ]);
  });

  it("makes one input schema of parameters and body: colliding names prefixed, unsafe ones renamed, $refs bundled", async () => {
    const config = await configOf(
      `  /nodes/{id}:
    put:
      operationId: putNode
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: "filter[kind]", in: query, schema: { type: string } }
        - { name: Authorization, in: header, schema: { type: string } }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: "#/components/schemas/Node" } } }
      ${ok}
    post:
      operationId: addChild
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      requestBody:
        content: { application/json: { schema: { allOf: [{ $ref: "#/components/schemas/Node" }] } } }
      ${ok}`,
      "{ include: { operations: [putNode, addChild] } }",
      `components:
  schemas:
    Node:
      type: object
      required: [id, name]
      properties:
        id: { type: string, readOnly: true }
        name: { type: string, xml: { attribute: true } }
        children: { type: array, items: { $ref: "#/components/schemas/Node" } }
`,
    );
    const [put, post] = config.tools;
    expect(put.name).toBe("put_node");
    expect(put.annotations).toEqual({ readOnlyHint: false, idempotentHint: true });
    // The body's id is readOnly: not an argument, so the path's id keeps its name; the header Authorization is OpenAPI's to ignore.
    expect(Object.keys(put.inputSchema.properties as object)).toEqual(["id", "filter_kind_", "name", "children"]);
    expect(put.arguments.find((argument) => argument.arg === "filter_kind_")).toMatchObject({ in: "query", name: "filter[kind]" });
    expect(put.inputSchema.required).toEqual(["id", "name"]);
    // As requests read it: a readOnly property is not required of a client.
    expect(put.inputSchema.$defs).toEqual({
      Node: {
        type: "object",
        required: ["name"],
        properties: { id: { type: "string", readOnly: true }, name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } },
      },
    });
    // A body that is not a plain object schema is one argument.
    expect(Object.keys(post.inputSchema.properties as object)).toEqual(["id", "body"]);
    expect(post.arguments.at(-1)).toEqual({ arg: "body", in: "body" });
    const ajv = new Ajv2020({ strict: true });
    for (const tool of config.tools) ajv.compile(tool.inputSchema);
    expect(ajv.validate(put.inputSchema, { id: "n", name: "x", children: [{ id: "c", name: "y", children: [] }] })).toBe(true);
    expect(ajv.validate(put.inputSchema, { id: "n", name: "x", children: [{ id: "c" }] })).toBe(false);
    expect(ajv.validate(put.inputSchema, { id: "n", name: "x", body: {} })).toBe(false);
  });

  it("serves the example API's operations as tools, its bearer scheme's issuer as where to sign in", async () => {
    // The suite's copy of the example, which stays when `portico init` replaces the root's.
    const config = await configAt(fileURLToPath(new URL("../../../test/fixtures/example", import.meta.url).href));
    expect(config.name).toBe("museum");
    expect(config.tools.map((tool) => tool.name)).toEqual([
      "list_exhibits",
      "create_exhibit",
      "get_featured_exhibit",
      "get_exhibit",
      "delete_exhibit",
      "buy_ticket",
      "get_ticket",
    ]);
    expect(config.resource).toEqual({ issuers: ["https://staff.museum.example/"], scopes: [] });
    expect(config.credentials.headers).toEqual(["authorization", "x-api-key"]);
  });
});
