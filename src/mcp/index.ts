/**
 * @module
 * The MCP server of the gateway: Model Context Protocol over Streamable HTTP
 * at x-portico.mcp.path, stateless (no session, no server-sent stream: each
 * POST carries one message, or a batch in 2025-03-26, and gets its answer).
 * `portico build` adds this mount to the generated app when the document has
 * x-portico.mcp; without it, none of this is in the bundle.
 */
import type { Gateway } from "../runtime/gateway.ts";
import { createLogger, describeError } from "../runtime/log.ts";
import { readBounded } from "../runtime/read-bounded.ts";
import type { Passage, Router } from "../runtime/router.ts";
import { readMessage, rpcAnswer, rpcError, RpcError, rpcResult, RPC_ERROR, type RequestId, type RpcResponse } from "./json-rpc.ts";
import { RESOURCE_METADATA_PREFIX, type McpConfig } from "./options.ts";
import { corsHeaders, originAllowed, preflight } from "./origin.ts";
import { challengeHeader, resourceMetadata } from "./resource.ts";
import { ASSUMED_REVISION, isChallenge, isRevision, McpServer, REVISIONS, type Challenge, type Exchange } from "./server.ts";

export type { McpConfig } from "./options.ts";

const ALLOW = "POST, OPTIONS";

/** In JSON-RPC's range for a server's own errors: the request needs credentials (its HTTP status says 401 or 403). */
const AUTHORIZATION_REQUIRED = -32001;

/** A request a bearer challenge refused. */
interface Refused {
  id: RequestId;
  challenge: Challenge;
}

/** The mount of the generated app's route table: the server's route, and its metadata's when a tool takes bearer tokens. */
export default function mcpServer(config: McpConfig): (router: Router, gateway: Gateway) => void {
  return (router, gateway) => {
    const server = new McpServer(config, gateway);
    router.add("ALL", config.path, (passage) => serve(passage, server));
    if (config.resource) router.add("GET", RESOURCE_METADATA_PREFIX + config.path, ({ request, env }) => resourceMetadata(request, env, config));
  };
}

/** An answer the transport gives before any message is read: an HTTP status with a JSON-RPC error without id. */
const refuse = (status: number, code: number, message: string, headers?: Record<string, string>) => rpcAnswer(status, rpcError(null, code, message), headers);

async function serve(passage: Passage, server: McpServer): Promise<Response> {
  const { request } = passage;
  const { config } = server;
  const origin = request.headers.get("origin");
  if (origin && !originAllowed(origin, request, config.origins)) return refuse(403, RPC_ERROR.invalidRequest, `Origin ${origin} is not allowed.`);
  const cors = corsHeaders(origin);
  if (passage.method === "OPTIONS")
    return origin ? preflight(origin, config.credentials.headers) : new Response(null, { status: 204, headers: { allow: ALLOW } });
  // Stateless: no stream of server messages to open (GET), no session to end (DELETE); MCP has 405 say so.
  if (passage.method !== "POST")
    return refuse(405, RPC_ERROR.invalidRequest, `${passage.method} is not served: send messages with POST.`, { allow: ALLOW, ...cors });
  const accept = request.headers.get("accept") ?? "*/*";
  const json = /application\/json|application\/\*|\*\/\*/i.test(accept);
  if (!json && !/text\/event-stream/i.test(accept))
    return refuse(406, RPC_ERROR.invalidRequest, "Accept must name application/json or text/event-stream.", cors);
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) {
    return refuse(415, RPC_ERROR.invalidRequest, "Content-Type must be application/json.", cors);
  }
  const asked = request.headers.get("mcp-protocol-version");
  if (asked !== null && !isRevision(asked)) {
    return refuse(400, RPC_ERROR.invalidRequest, `MCP-Protocol-Version ${asked} is not served; this server speaks ${REVISIONS.join(", ")}.`, cors);
  }
  const revision = asked ?? ASSUMED_REVISION;
  const tooLarge = () => refuse(413, RPC_ERROR.invalidRequest, `The message is larger than ${config.maxBodyBytes} bytes.`, cors);
  if (Number(request.headers.get("content-length") ?? 0) > config.maxBodyBytes) return tooLarge();
  const bytes = await readBounded(request.body, config.maxBodyBytes);
  if (!bytes) return tooLarge();
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return refuse(400, RPC_ERROR.parse, "Parse error: the body is not JSON.", cors);
  }
  const batch = Array.isArray(parsed);
  const messages: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  // JSON-RPC batches: in 2025-03-26 (and before), gone from 2025-06-18 on.
  if (batch && (revision > "2025-03-26" || messages.length === 0)) {
    return refuse(400, RPC_ERROR.invalidRequest, messages.length === 0 ? "An empty batch is not a message." : `Batches are not part of MCP ${revision}.`, cors);
  }
  const exchange: Exchange = { request, env: passage.env, execution: passage.execution, revision, requestId: passage.telemetry.requestId };
  const outcomes = await Promise.all(messages.map((message) => answer(server, message, exchange, batch)));
  const refused = outcomes.find((outcome): outcome is Refused => outcome !== undefined && "challenge" in outcome);
  if (refused) return challenged(refused, request, config, cors);
  const responses = outcomes.filter((outcome): outcome is RpcResponse => outcome !== undefined);
  if (responses.length === 0) return new Response(null, { status: 202, headers: cors });
  // A single message that could not be read is refused with 400, as MCP asks; a method's own error is an answer (200).
  const status = !batch && responses[0].error && responses[0].error.code === RPC_ERROR.invalidRequest ? 400 : 200;
  const body = batch ? responses : responses[0];
  if (json) return rpcAnswer(status, body, { "cache-control": "no-store", ...cors });
  // A client that takes only a stream gets its answer as the stream's one event.
  return new Response(`event: message\ndata: ${JSON.stringify(body)}\n\n`, {
    status,
    headers: { "content-type": "text/event-stream", "cache-control": "no-store", ...cors },
  });
}

/** One message's answer: a response for a request, nothing for a notification or a response, or a bearer challenge. */
async function answer(server: McpServer, raw: unknown, exchange: Exchange, inBatch: boolean): Promise<RpcResponse | Refused | undefined> {
  const message = readMessage(raw);
  if (message.kind === "invalid") return rpcError(message.id, RPC_ERROR.invalidRequest, `Invalid request: ${message.message}`);
  if (message.kind !== "request") return undefined;
  if (inBatch && message.method === "initialize") return rpcError(message.id, RPC_ERROR.invalidRequest, "initialize cannot be part of a batch.");
  try {
    const result = await server.answer(message.method, message.params, exchange);
    return isChallenge(result) ? { id: message.id, challenge: result } : rpcResult(message.id, result);
  } catch (error) {
    if (error instanceof RpcError) return rpcError(message.id, error.code, error.message);
    // Never a stack trace to the client: the log has it, under the request's id.
    createLogger({ requestId: exchange.requestId }).error("MCP request failed", describeError(error));
    return rpcError(message.id, RPC_ERROR.internal, `Internal error. Quote requestId ${exchange.requestId}.`);
  }
}

/** A 401 or 403 whose WWW-Authenticate points the client at the protected-resource metadata, with the refused request's id. */
function challenged({ id, challenge }: Refused, request: Request, config: McpConfig, cors: Record<string, string>): Response {
  return rpcAnswer(challenge.status, rpcError(id, AUTHORIZATION_REQUIRED, challenge.detail), {
    "www-authenticate": challengeHeader(challenge, request, config),
    ...cors,
  });
}
