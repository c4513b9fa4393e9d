/**
 * @module
 * JSON-RPC 2.0 as MCP uses it: reading one message, and writing results and
 * errors. Written here rather than taken from the MCP SDK: its server half
 * brings zod, Ajv (which compiles validators from strings, refused by
 * workerd) and a transport built on Node's HTTP types, for four methods.
 */

/** JSON-RPC 2.0 §5.1, and MCP's use of them. */
export const RPC_ERROR = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
} as const;

export type RequestId = string | number;

export type Message =
  | { kind: "request"; id: RequestId; method: string; params: Record<string, unknown> }
  | { kind: "notification"; method: string }
  | { kind: "response" }
  | { kind: "invalid"; id: RequestId | null; message: string };

const isId = (value: unknown): value is RequestId => typeof value === "string" || (typeof value === "number" && Number.isFinite(value));

/** One parsed JSON value read as a JSON-RPC message. */
export function readMessage(value: unknown): Message {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { kind: "invalid", id: null, message: "A JSON-RPC message is an object." };
  const message = value as Record<string, unknown>;
  const id = isId(message.id) ? message.id : null;
  if (message.jsonrpc !== "2.0") return { kind: "invalid", id, message: 'jsonrpc must be "2.0".' };
  if (message.method === undefined && ("result" in message || "error" in message)) return { kind: "response" };
  if (typeof message.method !== "string") return { kind: "invalid", id, message: "method must be a string." };
  const params = message.params ?? {};
  if (params === null || typeof params !== "object" || Array.isArray(params)) return { kind: "invalid", id, message: "params must be an object." };
  if (!("id" in message)) return { kind: "notification", method: message.method };
  // MCP (2025-03-26 on) narrows JSON-RPC: a request's id is a string or a number, never null.
  if (id === null) return { kind: "invalid", id: null, message: "id must be a string or a number." };
  return { kind: "request", id, method: message.method, params: params as Record<string, unknown> };
}

export interface RpcResponse {
  jsonrpc: "2.0";
  id: RequestId | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export const rpcResult = (id: RequestId, result: unknown): RpcResponse => ({ jsonrpc: "2.0", id, result });

export const rpcError = (id: RequestId | null, code: number, message: string, data?: unknown): RpcResponse => ({
  jsonrpc: "2.0",
  id,
  error: { code, message, ...(data === undefined ? {} : { data }) },
});

/** Thrown by a method to answer with a JSON-RPC error instead of a result. */
export class RpcError extends Error {
  override name = "RpcError";
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** A JSON answer of the transport: a JSON-RPC message, or an error with no id for what could not be read (MCP, Streamable HTTP). */
export function rpcAnswer(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
  });
}
