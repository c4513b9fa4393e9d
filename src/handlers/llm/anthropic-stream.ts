/**
 * @module
 * What every translator of Anthropic's Messages stream does, whichever API
 * it answers in: each event parsed (one that does not parse is dropped), the
 * token counts of message_start and message_delta kept, and the answer's
 * tokens reported once: at message_stop, before the last events leave, or
 * when a stream that stops short ends.
 */
import { inputTokensOf } from "./anthropic-answer.ts";
import type { Done, Translator } from "./sse.ts";
import type { TokenUsage } from "./usage.ts";

/** The counts the stream has told so far; `finished` once message_delta has given the final ones. */
export interface AnthropicTokens {
  prompt: number;
  cached: number;
  completion: number;
  finished: boolean;
}

export const usageOf = ({ prompt, completion }: AnthropicTokens): TokenUsage => ({ prompt, completion, total: prompt + completion });

function count(message: any, tokens: AnthropicTokens): void {
  if (message?.type === "message_start") {
    const usage = message.message?.usage;
    tokens.prompt = inputTokensOf(usage);
    tokens.cached = Number(usage?.cache_read_input_tokens) || 0;
    tokens.completion = Number(usage?.output_tokens) || 0;
  } else if (message?.type === "message_delta") {
    // The final counts: output always, input too where the API repeats it here.
    if (message.usage?.input_tokens !== undefined) tokens.prompt = inputTokensOf(message.usage);
    if (message.usage?.output_tokens !== undefined) tokens.completion = Number(message.usage.output_tokens) || 0;
    tokens.finished = true;
  }
}

/** A translator whose `write` turns each parsed event into the caller's events, given to `send`. */
export function anthropicTranslator(done: Done, write: (message: any, tokens: AnthropicTokens, send: (event: string) => void) => void): Translator {
  const tokens: AnthropicTokens = { prompt: 0, cached: 0, completion: 0, finished: false };
  const usage = () => (tokens.finished ? usageOf(tokens) : undefined);
  let reported = false;
  let send: (event: string) => void;
  return new TransformStream({
    start: (controller) => void (send = (event) => controller.enqueue(event)),
    async transform({ data }) {
      let message: any;
      try {
        message = JSON.parse(data);
      } catch {
        return;
      }
      count(message, tokens);
      if (message?.type === "message_stop") {
        reported = true;
        await done(usage());
      }
      write(message, tokens, send);
    },
    flush: () => (reported ? undefined : done(usage())),
  });
}
