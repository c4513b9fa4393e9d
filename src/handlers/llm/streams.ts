/**
 * @module
 * A provider's server-sent events as OpenAI chat.completion.chunk events,
 * one event at a time, as they arrive: OpenAI's own passed through (but the
 * usage the gateway asked for, when the caller did not), Anthropic's
 * message_start / content_block_* / message_delta / message_stop translated.
 * Each reports the answer's tokens when its stream ends in full.
 */
import { finishReasonOf, nowSeconds, openaiUsageObject } from "./anthropic-answer.ts";
import { anthropicTranslator, usageOf } from "./anthropic-stream.ts";
import { sseEvent, type Done, type Translator } from "./sse.ts";
import { openaiUsage, type TokenUsage } from "./usage.ts";

export const DONE = sseEvent("[DONE]");

/** What the caller gets when a stream breaks off after its first byte: OpenAI's in-stream error, which its SDKs raise. */
export const BROKEN = sseEvent(
  JSON.stringify({ error: { message: "The provider's stream broke off before its end.", type: "provider_error", param: null, code: null } }),
);

/**
 * OpenAI's stream. The gateway always asks for `stream_options.include_usage`;
 * when the caller did not, the usage chunk (no choices) is dropped and the
 * `usage: null` of the others taken out, as the provider would have sent them.
 */
export function fromOpenaiStream(callerWantsUsage: boolean, done: Done): Translator {
  let usage: TokenUsage | undefined;
  let reported = false;
  return new TransformStream({
    async transform({ data, event: name }, controller) {
      if (data === "[DONE]" && !reported) {
        reported = true;
        await done(usage);
      }
      let chunk: any;
      try {
        chunk = data === "[DONE]" ? undefined : JSON.parse(data);
      } catch {
        chunk = undefined;
      }
      if (chunk !== null && typeof chunk === "object" && "usage" in chunk) {
        usage = openaiUsage(chunk.usage) ?? usage;
        if (!callerWantsUsage) {
          if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return;
          delete chunk.usage;
          controller.enqueue(sseEvent(JSON.stringify(chunk), name));
          return;
        }
      }
      controller.enqueue(sseEvent(data, name));
    },
    flush: () => (reported ? undefined : done(usage)),
  });
}

/** Anthropic's Messages stream as OpenAI chunks. */
export function fromAnthropicStream(callerWantsUsage: boolean, done: Done): Translator {
  let id = `chatcmpl-${crypto.randomUUID()}`;
  let model = "";
  const created = nowSeconds();
  /** Content block index → the tool call's index among the answer's tool calls. */
  const tools = new Map<number, number>();
  const chunk = (delta: object, finish: string | null = null) =>
    sseEvent(
      JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(callerWantsUsage ? { usage: null } : {}),
      }),
    );
  return anthropicTranslator(done, (message, tokens, send) => {
    switch (message?.type) {
      case "message_start": {
        id = String(message.message?.id ?? id);
        model = String(message.message?.model ?? "");
        send(chunk({ role: "assistant", content: "" }));
        return;
      }
      case "content_block_start": {
        const block = message.content_block;
        if (block?.type === "tool_use") {
          const index = tools.size;
          tools.set(message.index, index);
          send(chunk({ tool_calls: [{ index, id: String(block.id), type: "function", function: { name: String(block.name), arguments: "" } }] }));
        } else if (block?.type === "text" && block.text) send(chunk({ content: String(block.text) }));
        return;
      }
      case "content_block_delta": {
        const delta = message.delta;
        if (delta?.type === "text_delta") send(chunk({ content: String(delta.text ?? "") }));
        else if (delta?.type === "input_json_delta" && tools.has(message.index)) {
          send(chunk({ tool_calls: [{ index: tools.get(message.index), function: { arguments: String(delta.partial_json ?? "") } }] }));
        }
        return;
      }
      case "message_delta":
        send(chunk({}, finishReasonOf(message.delta?.stop_reason) ?? "stop"));
        return;
      case "message_stop": {
        if (callerWantsUsage) {
          const usage = openaiUsageObject(usageOf(tokens), tokens.cached);
          send(sseEvent(JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })));
        }
        send(DONE);
        return;
      }
      case "error": {
        const error = {
          message: String(message.error?.message ?? "The provider failed."),
          type: String(message.error?.type ?? "api_error"),
          param: null,
          code: null,
        };
        send(sseEvent(JSON.stringify({ error })));
        return;
      }
    }
  });
}
