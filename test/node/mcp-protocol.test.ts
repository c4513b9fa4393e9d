/**
 * The MCP server's transport and JSON-RPC handling, by plain HTTP, against
 * the compiled test gateway served by workerd: what a broken, hostile or
 * older client sends gets the error the protocol defines, never a problem
 * document or a 500, and concurrent calls never see each other's answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveMcpGateway, type McpGateway } from "../support/mcp-gateway.ts";

let gateway: McpGateway;

beforeAll(async () => {
  gateway = await serveMcpGateway("mcp-protocol");
}, 180_000);

afterAll(async () => {
  await gateway?.close();
});

const JSON_AND_STREAM = "application/json, text/event-stream";

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(gateway.mcp, {
    method: "POST",
    headers: { "content-type": "application/json", accept: JSON_AND_STREAM, "mcp-protocol-version": "2025-11-25", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const call = (id: number, name: string, args: unknown) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });

describe("the MCP server's transport", () => {
  it("answers malformed JSON-RPC with -32700 and -32600, an unknown method with -32601", async () => {
    const malformed = await post("{ not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error: the body is not JSON." } });
    const notRpc = await post({ jsonrpc: "1.0", id: 3, method: "ping" });
    expect(notRpc.status).toBe(400);
    expect(await notRpc.json()).toMatchObject({ id: 3, error: { code: -32600 } });
    const nullId = await post({ jsonrpc: "2.0", id: null, method: "ping" });
    expect(await nullId.json()).toMatchObject({ id: null, error: { code: -32600, message: "Invalid request: id must be a string or a number." } });
    const unknown = await post({ jsonrpc: "2.0", id: "r1", method: "resources/list" });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ id: "r1", error: { code: -32601 } });
    const ping = await post({ jsonrpc: "2.0", id: 4, method: "ping" });
    expect(await ping.json()).toEqual({ jsonrpc: "2.0", id: 4, result: {} });
  });

  it("refuses a tool call for an operation left out with -32602, bad params likewise, bad arguments as a tool error", async () => {
    expect(await (await post(call(1, "hidden_thing", {}))).json()).toMatchObject({ id: 1, error: { code: -32602, message: "Unknown tool: hidden_thing." } });
    expect(await (await post(call(2, "list_exhibits", [1]))).json()).toMatchObject({ id: 2, error: { code: -32602 } });
    const missing = await (await post(call(3, "fetch_exhibit", {}))).json();
    expect(missing).toMatchObject({ id: 3, result: { isError: true, content: [{ type: "text", text: "Missing required argument: id." }] } });
    const broken = await (await post(call(4, "replace_exhibit", { path_id: "ex-1", body_id: "ex-1", title: "T", "X-Trace": "a\nb" }))).json();
    expect(broken).toMatchObject({
      id: 4,
      result: { isError: true, content: [{ text: expect.stringMatching(/^The arguments do not make a valid request: /) }] },
    });
  });

  it("bounds the body: tool arguments past maxBodyBytes get 413 before any of it is read", async () => {
    const oversized = await post(call(5, "echo_thing", { name: "big", body: Array.from({ length: 20_000 }, (_, i) => i) }));
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toMatchObject({ id: null, error: { code: -32600, message: "The message is larger than 65536 bytes." } });
  });

  it("validates Origin: a foreign page gets 403, the gateway's own and a listed origin are served with CORS", async () => {
    const foreign = await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { origin: "http://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ id: null, error: { message: "Origin http://evil.example is not allowed." } });
    const own = await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { origin: gateway.url.origin });
    expect(own.status).toBe(200);
    const listed = await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { origin: "https://app.example" });
    expect(listed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const preflight = await fetch(gateway.mcp, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "x-api-key" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-api-key");
    expect((await fetch(gateway.mcp, { method: "OPTIONS", headers: { origin: "http://evil.example" } })).status).toBe(403);
  });

  it("is stateless: GET and DELETE get 405, a notification 202, and no session id is given", async () => {
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(gateway.mcp, { method, headers: { accept: "text/event-stream" } });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    }
    const initialized = await post({ jsonrpc: "2.0", method: "notifications/initialized" });
    expect(initialized.status).toBe(202);
    expect(await initialized.text()).toBe("");
    const init = await post({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2024-10-07", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    });
    expect(init.headers.get("mcp-session-id")).toBeNull();
    // A revision it does not serve is answered with the newest, for the client to accept or leave.
    expect(await init.json()).toMatchObject({ result: { protocolVersion: "2025-11-25", serverInfo: { name: "test-museum" } } });
  });

  it("checks the transport's headers: protocol version, content type, what the client accepts", async () => {
    const version = await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { "mcp-protocol-version": "1999-01-01" });
    expect(version.status).toBe(400);
    expect(await version.json()).toMatchObject({ error: { code: -32600 } });
    expect((await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { "content-type": "text/plain" })).status).toBe(415);
    expect((await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { accept: "text/html" })).status).toBe(406);
    const stream = await post({ jsonrpc: "2.0", id: 7, method: "ping" }, { accept: "text/event-stream" });
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    expect(await stream.text()).toBe('event: message\ndata: {"jsonrpc":"2.0","id":7,"result":{}}\n\n');
  });

  it("takes JSON-RPC batches in 2025-03-26 (also assumed without a version header), and refuses them from 2025-06-18 on", async () => {
    const batch = [
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      call(2, "fetch_exhibit", { id: "ex-1" }),
    ];
    const answered = await post(batch, { "mcp-protocol-version": "2025-03-26" });
    const answers = (await answered.json()) as Array<{ id: number; result: { structuredContent?: unknown } }>;
    expect(answers.map((answer) => answer.id)).toEqual([1, 2]);
    expect(answers[1].result.structuredContent).toBeUndefined();
    const unversioned = await fetch(gateway.mcp, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) });
    expect(((await unversioned.json()) as unknown[]).length).toBe(2);
    const refused = await post(batch);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: -32600, message: "Batches are not part of MCP 2025-11-25." } });
  });

  it("keeps concurrent callers apart: 200 calls at once each get their own answer", async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const response = await post(call(i, "echo_thing", { name: `n${i}`, tags: [String(i)], body: [i] }));
        return { i, body: (await response.json()) as { id: number; result: { structuredContent: Record<string, unknown> } } };
      }),
    );
    for (const { i, body } of answers) {
      expect(body.id).toBe(i);
      expect(body.result.structuredContent).toMatchObject({ path: `/v1/things/n${i}`, query: `?tags=${i}`, body: [i] });
    }
  });

  it("keeps 1,000 concurrent clients apart: each its own answer or its own error, under any revision, none another's", async () => {
    // Every client at once, each on its own connection: workerd and undici hold them (no pool limit), so nothing is queued here.
    const revisions = ["2025-11-25", "2025-06-18", "2025-03-26"];
    const answers = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        // One client in three sends a body the operation refuses: its error is its own, and breaks no neighbour.
        const valid = i % 3 !== 0;
        const args = { name: `client-${i}`, tags: [`t${i}`, `u${i}`], body: valid ? [i, i + 1] : [`not-a-number-${i}`] };
        const response = await post(
          { jsonrpc: "2.0", id: `c${i}`, method: "tools/call", params: { name: "echo_thing", arguments: args } },
          {
            "mcp-protocol-version": revisions[i % 3],
            "x-trace": `client-${i}`,
          },
        );
        return {
          i,
          valid,
          status: response.status,
          body: (await response.json()) as { id: string; result: { isError?: boolean; structuredContent?: any; content: any[] } },
        };
      }),
    );
    for (const { i, valid, status, body } of answers) {
      expect(status).toBe(200);
      expect(body.id).toBe(`c${i}`);
      if (valid) {
        expect(body.result.isError).toBeUndefined();
        // 2025-03-26 has no structuredContent: the answer is the text.
        const echoed = i % 3 === 2 ? JSON.parse(body.result.content[0].text) : body.result.structuredContent;
        expect(echoed).toMatchObject({ path: `/v1/things/client-${i}`, query: `?tags=t${i}&tags=u${i}`, body: [i, i + 1] });
        // Headers of the MCP request other than credentials do not reach the operation: no client's trace reaches any call.
        expect(echoed.trace).toBeNull();
      } else {
        expect(body.result).toMatchObject({ isError: true, content: [{ type: "text", text: expect.stringMatching(/^400 Bad Request/) }] });
        expect(JSON.stringify(body.result)).not.toMatch(new RegExp(`(client|not-a-number)-(?!${i}\\b)\\d+`));
      }
    }
  }, 120_000);
});
