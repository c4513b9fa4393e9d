/**
 * @module
 * OpenAI's Responses API in front of Anthropic's Messages: a Responses request
 * becomes a chat-completions body, which anthropic-request.ts takes to
 * Messages (one translation, not two); a Messages answer becomes a Responses
 * object with one `message` item of `output_text`. Only text and images are
 * carried: items other than messages (function calls and their outputs,
 * reasoning, item references), `tools`, `reasoning`, `text.format`,
 * `previous_response_id` and `store` have no counterpart here and are left out.
 */
import { inputTokensOf, nowSeconds } from "./anthropic-answer.ts";
import type { TokenUsage } from "./usage.ts";

const ROLES = new Set(["user", "assistant", "system", "developer"]);

/** Responses content (a string, or input_text / output_text / input_image parts) as chat-completions parts. */
function partsOf(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  return content.flatMap((part: any): object[] => {
    if (part?.type === "input_text" || part?.type === "output_text") return [{ type: "text", text: String(part.text ?? "") }];
    if (part?.type === "refusal") return [{ type: "text", text: String(part.refusal ?? "") }];
    if (part?.type === "input_image" && typeof part.image_url === "string") return [{ type: "image_url", image_url: { url: part.image_url } }];
    return [];
  });
}

/** A Responses request as the chat-completions body anthropic-request.ts translates. */
export function chatBodyOfResponses(body: any): Record<string, unknown> {
  const messages: Array<Record<string, unknown>> = [];
  if (typeof body.instructions === "string" && body.instructions !== "") messages.push({ role: "system", content: body.instructions });
  const items = typeof body.input === "string" ? [{ role: "user", content: body.input }] : Array.isArray(body.input) ? body.input : [];
  for (const item of items) {
    if ((item?.type === undefined || item.type === "message") && ROLES.has(item?.role)) messages.push({ role: item.role, content: partsOf(item.content) });
  }
  const chat: Record<string, unknown> = { messages, stream: body.stream === true };
  if (typeof body.max_output_tokens === "number") chat.max_completion_tokens = body.max_output_tokens;
  for (const field of ["temperature", "top_p", "user"]) if (body[field] !== undefined && body[field] !== null) chat[field] = body[field];
  return chat;
}

/** Responses' usage object as counts; undefined when it holds none. */
export function responsesUsage(usage: any): TokenUsage | undefined {
  if (!usage || typeof usage.input_tokens !== "number") return undefined;
  const completion = typeof usage.output_tokens === "number" ? usage.output_tokens : 0;
  return { prompt: usage.input_tokens, completion, total: typeof usage.total_tokens === "number" ? usage.total_tokens : usage.input_tokens + completion };
}

/** Responses' usage object for these counts. */
export function responsesUsageObject(usage: TokenUsage, cached = 0): Record<string, unknown> {
  return {
    input_tokens: usage.prompt,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: usage.completion,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.total,
  };
}

/** What a Responses object says of the request, and its answer so far. */
export interface ResponseDraft {
  id: string;
  model: string;
  createdAt: number;
  messageId: string;
  text: string;
  /** The Messages stop reason, once known. */
  stopReason?: unknown;
  usage?: TokenUsage;
  cached?: number;
}

export const newResponseId = () => `resp_${crypto.randomUUID().replaceAll("-", "")}`;

/** The `message` output item holding the answer's text. */
export function messageItem(draft: ResponseDraft, status: "in_progress" | "completed"): Record<string, unknown> {
  const content = status === "completed" ? [{ type: "output_text", text: draft.text, annotations: [] }] : [];
  return { id: draft.messageId, type: "message", status, role: "assistant", content };
}

/** The Responses object: in progress (no output yet), or finished with its message and usage. */
export function responseObject(draft: ResponseDraft, request: any, finished: boolean): Record<string, unknown> {
  // Messages stopped by max_tokens: Responses calls that incomplete.
  const cut = finished && (draft.stopReason === "max_tokens" || draft.stopReason === "model_context_window_exceeded");
  return {
    id: draft.id,
    object: "response",
    created_at: draft.createdAt,
    status: !finished ? "in_progress" : cut ? "incomplete" : "completed",
    error: null,
    incomplete_details: cut ? { reason: "max_output_tokens" } : null,
    instructions: typeof request.instructions === "string" ? request.instructions : null,
    max_output_tokens: typeof request.max_output_tokens === "number" ? request.max_output_tokens : null,
    model: draft.model,
    output: finished ? [messageItem(draft, "completed")] : [],
    parallel_tool_calls: false,
    temperature: typeof request.temperature === "number" ? request.temperature : null,
    top_p: typeof request.top_p === "number" ? request.top_p : null,
    tool_choice: "none",
    tools: [],
    text: { format: { type: "text" } },
    usage: finished && draft.usage ? responsesUsageObject(draft.usage, draft.cached) : null,
  };
}

/** A whole Messages answer as a Responses object, and the tokens it cost. */
export function responseOfAnthropicMessage(message: any, request: any): { response: Record<string, unknown>; usage: TokenUsage } {
  const blocks: any[] = Array.isArray(message?.content) ? message.content : [];
  const prompt = inputTokensOf(message?.usage);
  const completion = Number(message?.usage?.output_tokens) || 0;
  const usage = { prompt, completion, total: prompt + completion };
  const draft: ResponseDraft = {
    id: newResponseId(),
    model: String(message?.model ?? ""),
    createdAt: nowSeconds(),
    messageId: String(message?.id ?? `msg_${crypto.randomUUID().replaceAll("-", "")}`),
    text: blocks
      .filter((block) => block?.type === "text")
      .map((block) => String(block.text ?? ""))
      .join(""),
    stopReason: message?.stop_reason,
    usage,
    cached: Number(message?.usage?.cache_read_input_tokens) || 0,
  };
  return { response: responseObject(draft, request, true), usage };
}
