/**
 * @module
 * The tokens a request's prompt will cost, estimated before the provider is
 * called: a quarter of its characters (text, tool calls and results, tool
 * definitions), plus 4 per message and 3 for the answer's priming, as
 * OpenAI counts a chat's framing, and 85 per image (a low-detail tile).
 *
 * An estimate, not a tokenizer: OpenAI's o200k_base ranks alone are over 1 MB
 * gzipped, past the whole Worker's budget, and Anthropic's tokenizer is not
 * public. It only decides whether the request may start; the count charged
 * is the provider's own, settled when the answer ends.
 */

const CHARS_PER_TOKEN = 4;
const PER_MESSAGE = 4;
const PRIMING = 3;
const PER_IMAGE = 85;

/** Characters and images in a message's content: a string, or parts. */
function measure(content: unknown, total: { chars: number; images: number }): void {
  if (typeof content === "string") total.chars += content.length;
  else if (Array.isArray(content)) {
    for (const part of content) {
      if (part?.type === "image_url" || part?.type === "image") total.images++;
      else if (typeof part?.text === "string") total.chars += part.text.length;
      else if (part !== null && typeof part === "object") total.chars += JSON.stringify(part).length;
    }
  } else if (content !== null && content !== undefined) total.chars += JSON.stringify(content).length;
}

/** Estimated prompt tokens of an OpenAI chat-completions, Responses or embeddings body; 0 for anything else. */
export function estimatePromptTokens(body: unknown): number {
  if (body === null || typeof body !== "object") return 0;
  const { messages, input, instructions, tools } = body as { messages?: unknown; input?: unknown; instructions?: unknown; tools?: unknown };
  const total = { chars: 0, images: 0 };
  let framing = 0;
  if (Array.isArray(messages)) {
    framing = PRIMING + PER_MESSAGE * messages.length;
    for (const message of messages) {
      measure(message?.content, total);
      if (message?.tool_calls !== undefined) total.chars += JSON.stringify(message.tool_calls).length;
    }
  } else if (input !== undefined) {
    for (const item of Array.isArray(input) ? input : [input]) total.chars += typeof item === "string" ? item.length : JSON.stringify(item ?? "").length;
  }
  if (typeof instructions === "string") total.chars += instructions.length;
  if (Array.isArray(tools)) total.chars += JSON.stringify(tools).length;
  return framing + Math.ceil(total.chars / CHARS_PER_TOKEN) + PER_IMAGE * total.images;
}
