/**
 * @module
 * The server-sent events the gateway writes to the caller, one string each,
 * which the caller's stream encodes (provider-call.ts), and the shape of a
 * translator from a provider's parsed events to them.
 */
import type { EventSourceMessage } from "eventsource-parser";
import type { TokenUsage } from "./usage.ts";

export type Translator = TransformStream<EventSourceMessage, string>;

/** Reports the answer's tokens; the stream's last bytes wait for it (see usage.ts). */
export type Done = (usage: TokenUsage | undefined) => Promise<void>;

/** One event: an `event:` line when it has a name, then its `data:` line. */
export const sseEvent = (data: string, name?: string) => `${name ? `event: ${name}\n` : ""}data: ${data}\n\n`;
