/**
 * @module
 * An OpenAI chat-completions request as Anthropic's Messages API takes it:
 * system and developer messages become `system`; tool calls `tool_use` blocks;
 * tool results `tool_result` blocks in a user turn; image URLs (data: URLs as
 * base64) `image` blocks; turns of one role in a row are merged, as Messages
 * wants roles to alternate. Fields with no Anthropic counterpart (n,
 * response_format, logprobs, seed, penalties) are left out.
 */

type Block = Record<string, unknown>;
interface Turn {
  role: "user" | "assistant";
  content: Block[];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function imageBlock(url: string): Block {
  const data = DATA_URL.exec(url);
  return data ? { type: "image", source: { type: "base64", media_type: data[1], data: data[2] } } : { type: "image", source: { type: "url", url } };
}

/** OpenAI content (a string, or parts) as Messages blocks. */
function blocksOf(content: unknown): Block[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [{ type: "text", text: String(content) }];
  return content.flatMap((part: any): Block[] => {
    if (part?.type === "text") return [{ type: "text", text: String(part.text ?? "") }];
    if (part?.type === "image_url") return [imageBlock(String(part.image_url?.url ?? ""))];
    if (part?.type === "refusal") return [{ type: "text", text: String(part.refusal ?? "") }];
    return [];
  });
}

const textOf = (content: unknown): string =>
  blocksOf(content)
    .map((block) => (block.type === "text" ? block.text : ""))
    .join("");

function parseArguments(text: unknown): unknown {
  try {
    const value = JSON.parse(String(text ?? "{}"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : { value };
  } catch {
    // A model's malformed arguments, sent back as history: kept readable rather than refused.
    return { arguments: String(text) };
  }
}

function turnOf(message: any): Turn | undefined {
  switch (message?.role) {
    case "user":
      return { role: "user", content: blocksOf(message.content) };
    case "assistant": {
      const calls = (message.tool_calls ?? []).map((call: any) => ({
        type: "tool_use",
        id: String(call.id),
        name: String(call.function?.name),
        input: parseArguments(call.function?.arguments),
      }));
      return { role: "assistant", content: [...blocksOf(message.content), ...calls] };
    }
    case "tool":
    case "function":
      return {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: String(message.tool_call_id ?? message.name), content: textOf(message.content) }],
      };
    default:
      return undefined;
  }
}

function toolChoiceOf(choice: any, parallel: unknown): Block | undefined {
  const disable = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null) return parallel === false ? { type: "auto", ...disable } : undefined;
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...disable };
  if (typeof choice === "object" && choice.function?.name) return { type: "tool", name: String(choice.function.name), ...disable };
  return { type: "auto", ...disable };
}

/** The Messages request for an OpenAI chat-completions body. */
export function toAnthropicRequest(body: any, model: string, maxTokens: number): Record<string, unknown> {
  const system: Block[] = [];
  const turns: Turn[] = [];
  for (const message of body.messages ?? []) {
    if (message?.role === "system" || message?.role === "developer") {
      system.push(...blocksOf(message.content));
      continue;
    }
    const turn = turnOf(message);
    if (!turn) continue;
    const last = turns.at(-1);
    if (last?.role === turn.role) last.content.push(...turn.content);
    else turns.push(turn);
  }
  const request: Record<string, unknown> = {
    model,
    messages: turns,
    max_tokens: body.max_completion_tokens ?? body.max_tokens ?? maxTokens,
  };
  if (system.length > 0) request.system = system;
  if (body.stream === true) request.stream = true;
  for (const field of ["temperature", "top_p"]) if (typeof body[field] === "number") request[field] = body[field];
  if (body.stop !== undefined && body.stop !== null) request.stop_sequences = Array.isArray(body.stop) ? body.stop : [body.stop];
  if (typeof body.user === "string") request.metadata = { user_id: body.user };
  const tools = (body.tools ?? []).filter((tool: any) => tool?.type === "function" && tool.function?.name);
  if (tools.length > 0) {
    request.tools = tools.map(({ function: fn }: any) => ({
      name: fn.name,
      ...(fn.description ? { description: fn.description } : {}),
      input_schema: fn.parameters ?? { type: "object", properties: {} },
    }));
  }
  const choice = toolChoiceOf(body.tool_choice, body.parallel_tool_calls);
  if (choice && tools.length > 0) request.tool_choice = choice;
  return request;
}
