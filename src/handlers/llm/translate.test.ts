import { describe, expect, it } from "vitest";
import { fromAnthropicMessage } from "./anthropic-answer.ts";
import { toAnthropicRequest } from "./anthropic-request.ts";
import { fromAnthropicStream, fromOpenaiStream } from "./streams.ts";
import type { TokenUsage } from "./usage.ts";

/** Runs server-sent events through a translator: the chunks it sends (parsed) and the usage it reports. */
async function translate(make: typeof fromAnthropicStream, events: Array<object | string>, wantsUsage: boolean) {
  let reported: TokenUsage | undefined | "never" = "never";
  const translator = make(wantsUsage, async (usage) => void (reported = usage));
  const writer = translator.writable.getWriter();
  const written = (async () => {
    for (const data of events) await writer.write({ data: typeof data === "string" ? data : JSON.stringify(data), event: undefined, id: undefined });
    await writer.close();
  })();
  let text = "";
  for await (const chunk of translator.readable) text += chunk;
  await written;
  const chunks = text
    .split("\n\n")
    .filter(Boolean)
    .map((event) => event.replace(/^data: /, ""))
    .map((data) => (data === "[DONE]" ? data : JSON.parse(data)));
  return { chunks, reported };
}

describe("an OpenAI chat request as Anthropic's Messages", () => {
  it("moves system and developer messages to system, tool calls to tool_use, tool results to one user turn, images to image blocks", () => {
    const request = toAnthropicRequest(
      {
        model: "gpt-4o",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: [{ type: "text", text: "Use tools." }] },
          {
            role: "user",
            content: [
              { type: "text", text: "What is in these?" },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
              { type: "image_url", image_url: { url: "https://images.example.com/cat.jpg" } },
            ],
          },
          {
            role: "assistant",
            content: null,
            tool_calls: [1, 2].map((n) => ({ id: `call_${n}`, type: "function", function: { name: "look", arguments: `{"n":${n}}` } })),
          },
          { role: "tool", tool_call_id: "call_1", content: "a cat" },
          { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "a dog" }] },
        ],
        stop: "END",
        temperature: 0.5,
        tool_choice: { type: "function", function: { name: "look" } },
        parallel_tool_calls: false,
        tools: [{ type: "function", function: { name: "look", description: "Looks.", parameters: { type: "object" } } }],
        user: "u-1",
        n: 1,
        seed: 7,
      },
      "claude-haiku-4-5",
      4096,
    );
    expect(request).toEqual({
      model: "claude-haiku-4-5",
      max_tokens: 4096,
      system: [
        { type: "text", text: "Be brief." },
        { type: "text", text: "Use tools." },
      ],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in these?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
            { type: "image", source: { type: "url", url: "https://images.example.com/cat.jpg" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "call_1", name: "look", input: { n: 1 } },
            { type: "tool_use", id: "call_2", name: "look", input: { n: 2 } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "call_1", content: "a cat" },
            { type: "tool_result", tool_use_id: "call_2", content: "a dog" },
          ],
        },
      ],
      stop_sequences: ["END"],
      temperature: 0.5,
      metadata: { user_id: "u-1" },
      tools: [{ name: "look", description: "Looks.", input_schema: { type: "object" } }],
      tool_choice: { type: "tool", name: "look", disable_parallel_tool_use: true },
    });
  });
});

describe("Anthropic's answers as OpenAI's", () => {
  it("maps stop reasons and counts cached prompt tokens as prompt tokens", () => {
    const { completion, usage } = fromAnthropicMessage({
      id: "msg_1",
      model: "claude-haiku-4-5",
      content: [{ type: "text", text: "Cut" }],
      stop_reason: "max_tokens",
      usage: { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 10, output_tokens: 3 },
    });
    expect(usage).toEqual({ prompt: 115, completion: 3, total: 118 });
    expect(completion).toMatchObject({
      choices: [{ finish_reason: "length", message: { content: "Cut" } }],
      usage: { prompt_tokens: 115, completion_tokens: 3, total_tokens: 118, prompt_tokens_details: { cached_tokens: 100 } },
    });
  });

  it("translates a streamed tool call event by event, with the usage chunk when asked for", async () => {
    const { chunks, reported } = await translate(
      fromAnthropicStream,
      [
        { type: "message_start", message: { id: "msg_1", model: "claude-haiku-4-5", usage: { input_tokens: 20, output_tokens: 1 } } },
        { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: "look", input: {} } },
        { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"n":' } },
        { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "1}" } },
        { type: "content_block_stop", index: 0 },
        { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 9 } },
        { type: "message_stop" },
      ],
      true,
    );
    const deltas = chunks.slice(0, -2).map((chunk) => chunk.choices[0]);
    expect(deltas).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, id: "toolu_1", type: "function", function: { name: "look", arguments: "" } }] },
        logprobs: null,
        finish_reason: null,
      },
      { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"n":' } }] }, logprobs: null, finish_reason: null },
      { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "1}" } }] }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" },
    ]);
    expect(chunks.at(-2)).toMatchObject({
      object: "chat.completion.chunk",
      id: "msg_1",
      choices: [],
      usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 },
    });
    expect(chunks.at(-1)).toBe("[DONE]");
    expect(reported).toEqual({ prompt: 20, completion: 9, total: 29 });
  });

  it("reports no count for a stream that ends before its final delta", async () => {
    const { reported } = await translate(fromAnthropicStream, [{ type: "message_start", message: { id: "m", usage: { input_tokens: 3 } } }], false);
    expect(reported).toBeUndefined();
  });
});

describe("OpenAI's own stream", () => {
  const chunk = (extra: object) => ({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "Hi" } }], ...extra });
  const events = [
    chunk({ usage: null }),
    { id: "c", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } },
    "[DONE]",
  ];

  it("drops the usage the gateway asked for when the caller did not, and reads it either way", async () => {
    const plain = await translate(fromOpenaiStream, events, false);
    expect(plain.chunks).toEqual([{ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "Hi" } }] }, "[DONE]"]);
    expect(plain.reported).toEqual({ prompt: 4, completion: 2, total: 6 });
    const asked = await translate(fromOpenaiStream, events, true);
    expect(asked.chunks).toEqual(events);
  });
});
