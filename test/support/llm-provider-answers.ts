/**
 * What the fake LLM providers of llm-providers.ts answer: a fixed text and
 * usage, whole or as the server-sent events each API streams (OpenAI's chat
 * completions and Responses, Anthropic's Messages), and a tool call to the
 * request's first chat tool when it has one.
 */

export type Api = "openai" | "anthropic";

/** The usage each fake reports: what the gateway must count. */
export const FAKE_USAGE = { openai: { prompt: 11, completion: 7 }, anthropic: { prompt: 13, completion: 5 } } as const;

const TEXT = ["Hello", " from", " the provider"];

export function openaiEvents(body: any): Array<{ data: unknown; text?: boolean }> {
  const usage = body.stream_options?.include_usage === true;
  const chunk = (delta: object, finish: string | null = null) => ({
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: body.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(usage ? { usage: null } : {}),
  });
  const events: Array<{ data: unknown; text?: boolean }> = [{ data: chunk({ role: "assistant", content: "" }) }];
  for (const text of TEXT) events.push({ data: chunk({ content: text }), text: true });
  events.push({ data: chunk({}, "stop") });
  if (usage) {
    const { prompt, completion } = FAKE_USAGE.openai;
    events.push({
      data: {
        id: "chatcmpl-fake",
        object: "chat.completion.chunk",
        created: 1_700_000_000,
        model: body.model,
        choices: [],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      },
    });
  }
  events.push({ data: "[DONE]" });
  return events;
}

const outputText = (text: string) => ({ type: "output_text", text, annotations: [] });

/** The Responses object the OpenAI-style fake answers, finished or (for response.created) not yet. */
function responseObject(body: any, finished: boolean) {
  const { prompt, completion } = FAKE_USAGE.openai;
  return {
    id: "resp_fake",
    object: "response",
    created_at: 1_700_000_000,
    status: finished ? "completed" : "in_progress",
    model: body.model,
    output: finished ? [{ id: "msg_fake", type: "message", status: "completed", role: "assistant", content: [outputText(TEXT.join(""))] }] : [],
    usage: finished
      ? {
          input_tokens: prompt,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: completion,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: prompt + completion,
        }
      : null,
  };
}

export function openaiResponsesEvents(body: any): Array<{ data: unknown; event: string; text?: boolean }> {
  let sequence = 0;
  const of = (type: string, fields: object, text?: boolean) => ({ event: type, data: { type, sequence_number: sequence++, ...fields }, text });
  const at = { item_id: "msg_fake", output_index: 0, content_index: 0 };
  const item = { id: "msg_fake", type: "message", status: "in_progress", role: "assistant", content: [] };
  return [
    of("response.created", { response: responseObject(body, false) }),
    of("response.output_item.added", { output_index: 0, item }),
    of("response.content_part.added", { ...at, part: outputText("") }),
    ...TEXT.map((delta) => of("response.output_text.delta", { ...at, delta }, true)),
    of("response.output_text.done", { ...at, text: TEXT.join("") }),
    of("response.content_part.done", { ...at, part: outputText(TEXT.join("")) }),
    of("response.output_item.done", { output_index: 0, item: { ...item, status: "completed", content: [outputText(TEXT.join(""))] } }),
    of("response.completed", { response: responseObject(body, true) }),
  ];
}

export function anthropicEvents(body: any): Array<{ data: unknown; event: string; text?: boolean }> {
  const { prompt, completion } = FAKE_USAGE.anthropic;
  const message = {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: body.model,
    content: [],
    stop_reason: null,
    usage: { input_tokens: prompt, output_tokens: 1 },
  };
  const events: Array<{ data: unknown; event: string; text?: boolean }> = [
    { event: "message_start", data: { type: "message_start", message } },
    { event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } },
    { event: "ping", data: { type: "ping" } },
  ];
  for (const text of TEXT)
    events.push({ event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }, text: true });
  events.push({ event: "content_block_stop", data: { type: "content_block_stop", index: 0 } });
  events.push({
    event: "message_delta",
    data: { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: completion } },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return events;
}

export function whole(api: Api, body: any, endpoint: string): object {
  if (endpoint === "embeddings") {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    return {
      object: "list",
      data: inputs.map((_: unknown, index: number) => ({ object: "embedding", index, embedding: [0.25, -0.5] })),
      model: body.model,
      usage: { prompt_tokens: 4, total_tokens: 4 },
    };
  }
  if (endpoint === "responses") return responseObject(body, true);
  const tool = body.tools?.[0];
  const { prompt, completion } = FAKE_USAGE[api];
  if (api === "openai") {
    const message = tool
      ? {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [{ id: "call_fake", type: "function", function: { name: tool.function.name, arguments: '{"city":"Cork"}' } }],
        }
      : { role: "assistant", content: TEXT.join(""), refusal: null };
    return {
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: 1_700_000_000,
      model: body.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: tool ? "tool_calls" : "stop" }],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    };
  }
  const content = tool ? [{ type: "tool_use", id: "toolu_fake", name: tool.name, input: { city: "Cork" } }] : [{ type: "text", text: TEXT.join("") }];
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: body.model,
    content,
    stop_reason: tool ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: prompt, output_tokens: completion },
  };
}
