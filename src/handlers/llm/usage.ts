/**
 * @module
 * How the llm handler tells the policies of its request how many tokens the
 * answer cost, once it knows: a streamed answer's count comes with its last
 * event, long after the policies' inbound hooks ran. A policy that counts
 * tokens (token-limit) listens through the request's bag; the handler reports
 * once, at the end: the provider's count, zero when no provider answered (so
 * nothing was paid), or undefined when the count is unknown (a stream cut off).
 * The usage policy, which sees the response before a stream has ended, waits
 * for the count the same way (afterTokenCount).
 */
import type { GatewayContext } from "../../runtime/types.ts";

/** Tokens of one answer, as the provider reported them. */
export interface TokenUsage {
  prompt: number;
  completion: number;
  total: number;
}

/** May return a promise: the answer's last bytes wait for it, so a caller's next request finds its count settled. */
export type UsageListener = (usage: TokenUsage | undefined) => void | Promise<unknown>;

const LISTENERS = "llm.usage-listeners";
/** Set by the handler when it starts: a count will be reported. */
const EXPECTED = "llm.usage-expected";
/** The total reported, once it has been. */
const REPORTED = "llm.usage-reported";

export const NO_TOKENS: TokenUsage = Object.freeze({ prompt: 0, completion: 0, total: 0 });

/** Calls `listener` when the request's answer has its count. */
export function onTokenUsage(ctx: GatewayContext, listener: UsageListener): void {
  const listeners = (ctx.bag.get(LISTENERS) as UsageListener[] | undefined) ?? [];
  listeners.push(listener);
  ctx.bag.set(LISTENERS, listeners);
}

/** Tells every listener the count, once per request (later reports are ignored); settles when they have. Never rejects. */
export async function reportTokenUsage(ctx: GatewayContext, usage: TokenUsage | undefined): Promise<void> {
  if (ctx.bag.has(REPORTED)) return;
  ctx.bag.set(REPORTED, usage?.total ?? 0);
  const listeners = ctx.bag.get(LISTENERS) as UsageListener[] | undefined;
  if (!listeners) return;
  ctx.bag.delete(LISTENERS);
  const settled = await Promise.allSettled(listeners.map(async (listener) => listener(usage)));
  for (const outcome of settled) if (outcome.status === "rejected") ctx.log.error("token usage listener failed", { error: String(outcome.reason) });
}

/** OpenAI's usage object as counts; undefined when it holds none. */
export function openaiUsage(usage: any): TokenUsage | undefined {
  if (!usage || typeof usage.prompt_tokens !== "number") return undefined;
  const completion = typeof usage.completion_tokens === "number" ? usage.completion_tokens : 0;
  return { prompt: usage.prompt_tokens, completion, total: typeof usage.total_tokens === "number" ? usage.total_tokens : usage.prompt_tokens + completion };
}

/** Called by the handler as it starts: its request's policies may wait for the count. */
export function expectTokenUsage(ctx: GatewayContext): void {
  ctx.bag.set(EXPECTED, true);
}

/**
 * Calls `then` with the tokens the request's answer cost: at once when they are known or no llm
 * handler counts them (0), else when the answer ends (0 when the count is unknown). For a policy
 * that looks at the response (usage), after the handler has returned it.
 */
export function afterTokenCount(ctx: GatewayContext, then: (tokens: number) => void): void {
  if (!ctx.bag.has(EXPECTED) || ctx.bag.has(REPORTED)) return then((ctx.bag.get(REPORTED) as number | undefined) ?? 0);
  onTokenUsage(ctx, (usage) => then(usage?.total ?? 0));
}
