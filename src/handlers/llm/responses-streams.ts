/**
 * @module
 * Server-sent events of OpenAI's Responses API, one at a time, as they
 * arrive: an OpenAI-style provider's passed through, its usage read from
 * `response.completed` (or `response.incomplete`); Anthropic's Messages
 * stream translated into the Responses sequence: response.created,
 * response.in_progress, output_item.added and content_part.added for one
 * message, an output_text.delta per text delta, then output_text.done,
 * content_part.done, output_item.done and response.completed with usage.
 * Tool-use blocks are not translated. Each reports the answer's tokens
 * before its last event leaves, as streams.ts does.
 */
import { nowSeconds } from "./anthropic-answer.ts";
import { anthropicTranslator, usageOf } from "./anthropic-stream.ts";
import { messageItem, newResponseId, responseObject, responsesUsage, type ResponseDraft } from "./responses.ts";
import { sseEvent, type Done, type Translator } from "./sse.ts";
import type { TokenUsage } from "./usage.ts";

/** The events that end a Responses stream and carry its usage. */
const FINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** An OpenAI-style provider's Responses stream, passed through as it is. */
export function fromOpenaiResponsesStream(done: Done): Translator {
  let reported = false;
  return new TransformStream({
    async transform({ data, event: name }, controller) {
      if (!reported && FINAL.has(name ?? "")) {
        let usage: TokenUsage | undefined;
        try {
          usage = responsesUsage(JSON.parse(data)?.response?.usage);
        } catch {
          usage = undefined;
        }
        reported = true;
        await done(usage);
      }
      controller.enqueue(sseEvent(data, name));
    },
    flush: () => (reported ? undefined : done(undefined)),
  });
}

/** Anthropic's Messages stream as Responses events, for the caller's Responses `request`. */
export function fromAnthropicResponsesStream(request: any, done: Done): Translator {
  const draft: ResponseDraft = { id: newResponseId(), model: "", createdAt: nowSeconds(), messageId: "", text: "" };
  let sequence = 0;
  const emit = (send: (event: string) => void, type: string, fields: object) =>
    send(sseEvent(JSON.stringify({ type, sequence_number: sequence++, ...fields }), type));
  const at = () => ({ item_id: draft.messageId, output_index: 0, content_index: 0 });
  return anthropicTranslator(done, (message, tokens, send) => {
    switch (message?.type) {
      case "message_start": {
        draft.model = String(message.message?.model ?? "");
        draft.messageId = String(message.message?.id ?? `msg_${crypto.randomUUID().replaceAll("-", "")}`);
        draft.cached = tokens.cached;
        const response = responseObject(draft, request, false);
        emit(send, "response.created", { response });
        emit(send, "response.in_progress", { response });
        emit(send, "response.output_item.added", { output_index: 0, item: messageItem(draft, "in_progress") });
        emit(send, "response.content_part.added", { ...at(), part: { type: "output_text", text: "", annotations: [] } });
        return;
      }
      case "content_block_start":
      case "content_block_delta": {
        const text = message.content_block?.type === "text" ? message.content_block.text : message.delta?.type === "text_delta" ? message.delta.text : "";
        if (!text) return;
        draft.text += String(text);
        emit(send, "response.output_text.delta", { ...at(), delta: String(text) });
        return;
      }
      case "message_delta":
        draft.stopReason = message.delta?.stop_reason;
        return;
      case "message_stop": {
        draft.usage = usageOf(tokens);
        const part = { type: "output_text", text: draft.text, annotations: [] };
        emit(send, "response.output_text.done", { ...at(), text: draft.text });
        emit(send, "response.content_part.done", { ...at(), part });
        emit(send, "response.output_item.done", { output_index: 0, item: messageItem(draft, "completed") });
        const response = responseObject(draft, request, true);
        emit(send, response.status === "incomplete" ? "response.incomplete" : "response.completed", { response });
        return;
      }
      case "error": {
        const code = String(message.error?.type ?? "api_error");
        emit(send, "error", { code, message: String(message.error?.message ?? "The provider failed."), param: null });
        return;
      }
    }
  });
}
