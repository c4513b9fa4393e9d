/**
 * @module
 * Calls a counting Durable Object (a rate limiter's or a quota's) the way the
 * platform's errors allow: retried once only when marked retryable, never
 * when the object is overloaded.
 */
import type { GatewayContext } from "./types.ts";

/**
 * Asks the counter (this one, or another counting Durable Object such as a
 * quota's), retrying once only what the platform marks retryable (never an
 * overloaded object). Undefined: no answer, failMode decides.
 */
export async function askCounter<T>(ask: () => Promise<T>, ctx: GatewayContext, counter = "rate limiter"): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      const { retryable, overloaded } = (error ?? {}) as { retryable?: boolean; overloaded?: boolean };
      if (retryable && !overloaded && attempt === 0) continue;
      ctx.log.error(`${counter} unavailable`, { error: String(error), retryable: Boolean(retryable), overloaded: Boolean(overloaded) });
      return undefined;
    }
  }
}
