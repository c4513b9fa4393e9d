/**
 * @module
 * The MCP methods the server answers: initialize (version negotiation),
 * ping, tools/list and tools/call, each revision shown only what it defines.
 * Stateless: nothing is kept between requests, so any isolate answers any
 * request of a client, and a tool call needs no earlier initialize.
 */
import type { Gateway } from "../runtime/gateway.ts";
import { RPC_ERROR, RpcError } from "./json-rpc.ts";
import type { McpConfig, McpTool } from "./options.ts";
import { toolRequest } from "./tool-request.ts";
import { errorResult, toolResult, type ToolResult } from "./tool-result.ts";

/**
 * The revisions served, newest first: those the official TypeScript SDK (1.32, and 2.x) negotiates,
 * from 2024-11-05 on; 2024-10-07 was a draft no client sends.
 */
export const REVISIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"] as const;
export type Revision = (typeof REVISIONS)[number];

/** Streamable HTTP: a request without MCP-Protocol-Version is taken as of this revision. */
export const ASSUMED_REVISION: Revision = "2025-03-26";

export const isRevision = (value: unknown): value is Revision => REVISIONS.includes(value as Revision);

/** A tool's request was refused for want of a bearer token (or of its scopes): the MCP client's cue to sign in. */
export interface Challenge {
  status: 401 | 403;
  scopes: string[];
  invalidToken: boolean;
  detail: string;
}

/** What one request of a call needs of the HTTP exchange it came in. */
export interface Exchange {
  request: Request;
  env: unknown;
  execution: ExecutionContext | undefined;
  revision: Revision;
  /** The MCP request's id, as its access line has it. */
  requestId: string;
}

/** A tool as tools/list shows it in a revision: title and outputSchema came in 2025-06-18, annotations in 2025-03-26. */
function listed(tool: McpTool, revision: Revision) {
  const since = (first: Revision) => revision >= first;
  return {
    name: tool.name,
    ...(since("2025-06-18") && tool.title ? { title: tool.title } : {}),
    ...(tool.description ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema,
    ...(since("2025-06-18") && tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
    ...(since("2025-03-26") ? { annotations: tool.annotations } : {}),
  };
}

export class McpServer {
  readonly config: McpConfig;
  readonly #gateway: Gateway;
  readonly #tools: Map<string, McpTool>;
  /** tools/list's answer per revision, made on first use. */
  readonly #lists = new Map<Revision, unknown>();

  constructor(config: McpConfig, gateway: Gateway) {
    this.config = config;
    this.#gateway = gateway;
    this.#tools = new Map(config.tools.map((tool) => [tool.name, tool]));
  }

  /** A request's result, a Challenge, or an RpcError thrown. */
  async answer(method: string, params: Record<string, unknown>, exchange: Exchange): Promise<unknown> {
    switch (method) {
      case "initialize":
        return this.#initialize(params);
      case "ping":
        return {};
      case "tools/list": {
        let list = this.#lists.get(exchange.revision);
        if (!list) this.#lists.set(exchange.revision, (list = { tools: this.config.tools.map((tool) => listed(tool, exchange.revision)) }));
        return list;
      }
      case "tools/call":
        return this.#call(params, exchange);
      default:
        throw new RpcError(RPC_ERROR.methodNotFound, `Method not found: ${method}. This server has tools only (tools/list, tools/call).`);
    }
  }

  #initialize(params: Record<string, unknown>) {
    // The client's revision when served; else the newest, for the client to accept or leave (MCP, "Version negotiation").
    const protocolVersion = isRevision(params.protocolVersion) ? params.protocolVersion : REVISIONS[0];
    return {
      protocolVersion,
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: this.config.name, version: this.config.version },
    };
  }

  async #call(params: Record<string, unknown>, exchange: Exchange): Promise<ToolResult | Challenge> {
    const { name } = params;
    if (typeof name !== "string") throw new RpcError(RPC_ERROR.invalidParams, "params.name must be the name of a tool.");
    const tool = this.#tools.get(name);
    // MCP: an unknown tool is a protocol error (an operation left out of the server is one).
    if (!tool) throw new RpcError(RPC_ERROR.invalidParams, `Unknown tool: ${name}.`);
    const args = params.arguments ?? {};
    if (args === null || typeof args !== "object" || Array.isArray(args)) throw new RpcError(RPC_ERROR.invalidParams, "params.arguments must be an object.");
    let request: Request | string;
    try {
      request = toolRequest(tool, args as Record<string, unknown>, exchange.request, this.config);
    } catch (error) {
      // A value no request can carry (a header value with a line break): the model's to correct.
      return errorResult(`The arguments do not make a valid request: ${(error as Error).message}`);
    }
    if (typeof request === "string") return errorResult(request);
    // Through the gateway's own fetch, as if the request had come in over HTTP: every step of the operation's way runs.
    const response = await this.#gateway.fetch(request, exchange.env, exchange.execution);
    const challenge = this.#challenge(tool, response);
    if (challenge) {
      await response.body?.cancel();
      return challenge;
    }
    const result = await toolResult(tool, response, request.url);
    if (exchange.revision < "2025-06-18") delete result.structuredContent;
    return result;
  }

  #challenge(tool: McpTool, response: Response): Challenge | undefined {
    if (!this.config.resource || !tool.bearerScopes || (response.status !== 401 && response.status !== 403)) return undefined;
    const asked = response.headers.get("www-authenticate") ?? "";
    if (response.status === 403 && !/error="insufficient_scope"/.test(asked)) return undefined;
    const scope = /scope="([^"]*)"/.exec(asked)?.[1];
    return {
      status: response.status,
      scopes: scope ? scope.split(" ") : tool.bearerScopes,
      invalidToken: /error="invalid_token"/.test(asked),
      detail: response.status === 401 ? `The tool ${tool.name} needs credentials.` : `The tool ${tool.name} needs the scope(s): ${scope}.`,
    };
  }
}

export const isChallenge = (value: unknown): value is Challenge =>
  value !== null && typeof value === "object" && "status" in value && "scopes" in value && !("content" in value);
