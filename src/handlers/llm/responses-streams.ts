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
import { inputTokensOf, nowSeconds } from "./anthropic-answer.ts";
import { messageItem, newResponseId, responseObject, responsesUsage, type ResponseDraft } from "./responses.ts";
import type { Translator } from "./streams.ts";
import type { TokenUsage } from "./usage.ts";

type Done = (usage: TokenUsage | undefined) => Promise<void>;

const named = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n`;

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
      controller.enqueue(name ? named(name, data) : `data: ${data}\n\n`);
    },
    flush: () => (reported ? undefined : done(undefined)),
  });
}

/** Anthropic's Messages stream as Responses events, for the caller's Responses `request`. */
export function fromAnthropicResponsesStream(request: any, done: Done): Translator {
  const draft: ResponseDraft = { id: newResponseId(), model: "", createdAt: nowSeconds(), messageId: "", text: "" };
  let sequence = 0;
  let prompt = 0;
  let completion = 0;
  let finished = false;
  let reported = false;
  const emit = (controller: TransformStreamDefaultController<string>, type: string, fields: object) =>
    controller.enqueue(named(type, JSON.stringify({ type, sequence_number: sequence++, ...fields })));
  const at = () => ({ item_id: draft.messageId, output_index: 0, content_index: 0 });
  return new TransformStream({
    async transform({ data }, controller) {
      let message: any;
      try {
        message = JSON.parse(data);
      } catch {
        return;
      }
      switch (message?.type) {
        case "message_start": {
          draft.model = String(message.message?.model ?? "");
          draft.messageId = String(message.message?.id ?? `msg_${crypto.randomUUID().replaceAll("-", "")}`);
          prompt = inputTokensOf(message.message?.usage);
          draft.cached = Number(message.message?.usage?.cache_read_input_tokens) || 0;
          completion = Number(message.message?.usage?.output_tokens) || 0;
          const response = responseObject(draft, request, false);
          emit(controller, "response.created", { response });
          emit(controller, "response.in_progress", { response });
          emit(controller, "response.output_item.added", { output_index: 0, item: messageItem(draft, "in_progress") });
          emit(controller, "response.content_part.added", { ...at(), part: { type: "output_text", text: "", annotations: [] } });
          return;
        }
        case "content_block_start":
        case "content_block_delta": {
          const text = message.content_block?.type === "text" ? message.content_block.text : message.delta?.type === "text_delta" ? message.delta.text : "";
          if (!text) return;
          draft.text += String(text);
          emit(controller, "response.output_text.delta", { ...at(), delta: String(text) });
          return;
        }
        case "message_delta": {
          if (message.usage?.input_tokens !== undefined) prompt = inputTokensOf(message.usage);
          if (message.usage?.output_tokens !== undefined) completion = Number(message.usage.output_tokens) || 0;
          draft.stopReason = message.delta?.stop_reason;
          finished = true;
          return;
        }
        case "message_stop": {
          draft.usage = { prompt, completion, total: prompt + completion };
          reported = true;
          await done(finished ? draft.usage : undefined);
          const part = { type: "output_text", text: draft.text, annotations: [] };
          emit(controller, "response.output_text.done", { ...at(), text: draft.text });
          emit(controller, "response.content_part.done", { ...at(), part });
          emit(controller, "response.output_item.done", { output_index: 0, item: messageItem(draft, "completed") });
          const response = responseObject(draft, request, true);
          emit(controller, response.status === "incomplete" ? "response.incomplete" : "response.completed", { response });
          return;
        }
        case "error": {
          const code = String(message.error?.type ?? "api_error");
          emit(controller, "error", { code, message: String(message.error?.message ?? "The provider failed."), param: null });
          return;
        }
      }
    },
    flush: () => (reported ? undefined : done(finished ? { prompt, completion, total: prompt + completion } : undefined)),
  });
}
