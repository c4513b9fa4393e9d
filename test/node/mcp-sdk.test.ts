/**
 * The official MCP TypeScript SDK's client (@modelcontextprotocol/sdk, pinned,
 * StreamableHTTPClientTransport) against the MCP server of a compiled gateway
 * served by workerd (test/support/mcp-gateway.ts): every revision the client
 * negotiates, the tools' schemas compiled by Ajv, read and write tools with
 * good and bad arguments, a call without the API key refused as the API
 * refuses it, and arguments put back where the operation takes them.
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveMcpGateway, text, type McpGateway } from "../support/mcp-gateway.ts";

let gateway: McpGateway;
const connect: McpGateway["connect"] = (headers, revision) => gateway.connect(headers, revision);

beforeAll(async () => {
  gateway = await serveMcpGateway("mcp-sdk");
}, 180_000);

afterAll(async () => {
  await gateway?.close();
});

describe("the MCP SDK client against the gateway's MCP server", () => {
  it("negotiates the newest revision, and each older one the client speaks, statelessly", async () => {
    const { client, transport } = await connect();
    expect(transport.protocolVersion).toBe("2025-11-25");
    expect(client.getServerVersion()).toEqual({ name: "test-museum", version: "2.0.0" });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    expect(transport.sessionId).toBeUndefined();
    for (const revision of ["2025-06-18", "2025-03-26", "2024-11-05"]) {
      expect(SUPPORTED_PROTOCOL_VERSIONS).toContain(revision);
      const older = await connect({}, revision);
      expect(older.transport.protocolVersion).toBe(revision);
      const { tools } = await older.client.listTools();
      const fetchTool = tools.find((tool) => tool.name === "fetch_exhibit")!;
      expect(fetchTool.outputSchema !== undefined).toBe(revision >= "2025-06-18");
      expect(fetchTool.annotations !== undefined).toBe(revision >= "2025-03-26");
      const result = await older.client.callTool({ name: "fetch_exhibit", arguments: { id: "ex-1" } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent !== undefined).toBe(revision >= "2025-06-18");
      expect(JSON.parse(text(result))).toEqual({ id: "ex-1", title: "Vase" });
      // After initialize, every request names the revision agreed.
      expect(older.sent.slice(2).every((header) => header === revision)).toBe(true);
    }
  });

  it("lists one tool per included operation, each schema compiling as JSON Schema 2020-12", async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      "list_exhibits",
      "create_exhibit",
      "fetch_exhibit",
      "replace_exhibit",
      "delete_exhibit",
      "limited_ping",
      "echo_thing",
    ]);
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    for (const tool of tools) {
      expect(() => ajv.compile(tool.inputSchema), tool.name).not.toThrow();
      if (tool.outputSchema) expect(() => ajv.compile(tool.outputSchema!), tool.name).not.toThrow();
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get("fetch_exhibit")).toMatchObject({
      title: "Get an exhibit",
      description: "Reads one exhibit by its id.",
      annotations: { readOnlyHint: true },
    });
    expect(byName.get("delete_exhibit")?.annotations).toMatchObject({ destructiveHint: true });
    expect(byName.get("replace_exhibit")?.annotations).toMatchObject({ idempotentHint: true, readOnlyHint: false });
    // The path's id and the body's id share a name: each is prefixed with its place.
    expect(Object.keys(byName.get("replace_exhibit")!.inputSchema.properties!)).toEqual([
      "path_id",
      "dryRun",
      "X-Trace",
      "body_id",
      "title",
      "year",
      "example",
    ]);
    const list = byName.get("list_exhibits")!;
    expect(list.outputSchema).toMatchObject({
      properties: { items: { items: { $ref: "#/$defs/Exhibit" } } },
      $defs: { Exhibit: { required: ["id", "title"] } },
    });
    expect(ajv.validate(list.outputSchema!, { items: [{ id: "nope", title: "x" }] })).toBe(false);
  });

  it("calls a read tool: its answer as structured content, a bad argument as the API's validation error", async () => {
    const { client } = await connect();
    const listed = await client.callTool({ name: "list_exhibits", arguments: { limit: 5 } });
    expect(listed.isError).toBeFalsy();
    expect(listed.structuredContent).toEqual({ items: [{ id: "ex-1", title: "Vase" }] });
    const refused = await client.callTool({ name: "list_exhibits", arguments: { limit: 500 } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toBe("400 Bad Request: The request does not match the API description: 1 problem(s).\n- query limit: must be <= 50");
    const unknown = await client.callTool({ name: "fetch_exhibit", arguments: { id: "ex-1", colour: "red" } });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toBe("Unknown argument: colour. The tool fetch_exhibit takes: id.");
  });

  it("calls a write tool with the caller's API key; without one, it is refused as the API refuses it", async () => {
    const keyed = await connect({ "X-API-Key": gateway.apiKey });
    const created = await keyed.client.callTool({ name: "create_exhibit", arguments: { id: "ex-2", title: "Bowl", year: 1920 } });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toEqual({ id: "ex-2", title: "Bowl" });
    const invalid = await keyed.client.callTool({ name: "create_exhibit", arguments: { id: "ex-2" } });
    expect(invalid.isError).toBe(true);
    expect(text(invalid)).toMatch(/^400 Bad Request: .*\n- body \/title: is required$/);

    const direct = await fetch(new URL("/v1/exhibits", gateway.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"id":"ex-2","title":"Bowl"}',
    });
    const problem = (await direct.json()) as { title: string; detail: string };
    const anonymous = await connect();
    const refused = await anonymous.client.callTool({ name: "create_exhibit", arguments: { id: "ex-2", title: "Bowl" } });
    expect(direct.status).toBe(401);
    expect(refused.isError).toBe(true);
    expect(text(refused)).toBe(`401 ${problem.title}: ${problem.detail}`);
  });

  it("puts every argument back where the operation takes it", async () => {
    const { client } = await connect();
    const replaced = await client.callTool({
      name: "replace_exhibit",
      arguments: { path_id: "ex-7", body_id: "ex-8", title: "Urn", dryRun: true, "X-Trace": "t-1", example: "kept" },
    });
    expect(replaced.structuredContent).toMatchObject({
      method: "PUT",
      path: "/v1/exhibits/ex-7",
      query: "?dryRun=true",
      trace: "t-1",
      contentType: "application/json",
      body: { id: "ex-8", title: "Urn", example: "kept" },
    });
    const echoed = await client.callTool({ name: "echo_thing", arguments: { name: "a b/c", tags: ["x", "y"], body: [1, 2] } });
    expect(echoed.structuredContent).toMatchObject({ path: "/v1/things/a%20b%2Fc", params: { name: "a b/c" }, query: "?tags=x&tags=y", body: [1, 2] });
  });
});
