/**
 * @module
 * Anthropic's Messages answers as OpenAI's: a message as a chat.completion,
 * its stop reason as a finish_reason, its usage as prompt and completion
 * tokens (cache reads and writes are prompt tokens, as OpenAI counts cached
 * ones), and an error body as OpenAI's `{ error: { message, type } }`.
 */
import type { TokenUsage } from "./usage.ts";

const FINISH: Record<string, string> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

export const finishReasonOf = (stopReason: unknown): string | null => (typeof stopReason === "string" ? (FINISH[stopReason] ?? "stop") : null);

/** The input tokens of a Messages usage object, cached ones included. */
export const inputTokensOf = (usage: any): number =>
  (Number(usage?.input_tokens) || 0) + (Number(usage?.cache_creation_input_tokens) || 0) + (Number(usage?.cache_read_input_tokens) || 0);

/** OpenAI's usage object for these counts. */
export function openaiUsageObject(usage: TokenUsage, cached = 0): Record<string, unknown> {
  return {
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    total_tokens: usage.total,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A Messages answer as a chat completion, and the tokens it cost. */
export function fromAnthropicMessage(message: any): { completion: Record<string, unknown>; usage: TokenUsage } {
  const blocks: any[] = Array.isArray(message?.content) ? message.content : [];
  const text = blocks
    .filter((block) => block?.type === "text")
    .map((block) => String(block.text ?? ""))
    .join("");
  const calls = blocks
    .filter((block) => block?.type === "tool_use")
    .map((block) => ({ id: String(block.id), type: "function", function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) } }));
  const prompt = inputTokensOf(message?.usage);
  const completionTokens = Number(message?.usage?.output_tokens) || 0;
  const usage = { prompt, completion: completionTokens, total: prompt + completionTokens };
  const answer: Record<string, unknown> = { role: "assistant", content: text === "" && calls.length > 0 ? null : text, refusal: null };
  if (calls.length > 0) answer.tool_calls = calls;
  return {
    usage,
    completion: {
      id: String(message?.id ?? `chatcmpl-${crypto.randomUUID()}`),
      object: "chat.completion",
      created: nowSeconds(),
      model: String(message?.model ?? ""),
      choices: [{ index: 0, message: answer, logprobs: null, finish_reason: finishReasonOf(message?.stop_reason) ?? "stop" }],
      usage: openaiUsageObject(usage, Number(message?.usage?.cache_read_input_tokens) || 0),
    },
  };
}

/** A Messages error body (`{ type: "error", error: { type, message } }`) as OpenAI's. */
export function fromAnthropicError(body: any, status: number): Record<string, unknown> {
  const message = typeof body?.error?.message === "string" ? body.error.message : `The provider answered ${status}.`;
  return { error: { message, type: String(body?.error?.type ?? "api_error"), param: null, code: null } };
}
