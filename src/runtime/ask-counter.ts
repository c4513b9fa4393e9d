/**
 * @module
 * Calls a counting Durable Object (a rate limiter's or a quota's) the way the
 * platform's errors allow: retried once only when marked retryable, never
 * when the object is overloaded, and counted once either way.
 */
import type { GatewayContext } from "./types.ts";

/**
 * Undefined: no answer (logged), and the policy's failMode decides. `ask`
 * gets one id for the ask and its retry: a retryable error can come after the
 * object counted the first attempt, and the object answers the same id once
 * (see answered-asks.ts).
 */
export async function askCounter<T>(ask: (id: string) => Promise<T>, ctx: GatewayContext, counter = "rate limiter"): Promise<T | undefined> {
  const id = crypto.randomUUID();
  for (let attempt = 0; ; attempt++) {
    try {
      return await ask(id);
    } catch (error) {
      const { retryable, overloaded } = (error ?? {}) as { retryable?: boolean; overloaded?: boolean };
      if (retryable && !overloaded && attempt === 0) continue;
      ctx.log.error(`${counter} unavailable`, { error: String(error), retryable: Boolean(retryable), overloaded: Boolean(overloaded) });
      return undefined;
    }
  }
}

/**
 * The object of a counting Durable Object class for one name. A binding
 * missing from wrangler.toml throws here, inside the caller's `ask`, so it
 * is logged and handled by failMode like any counter that cannot answer.
 */
export function durableStub<T extends Rpc.DurableObjectBranded | undefined>(env: Record<string, unknown>, binding: string, name: string): DurableObjectStub<T> {
  const namespace = env[binding] as DurableObjectNamespace<T> | undefined;
  if (!namespace) throw new Error(`The Durable Object binding ${binding} is missing from wrangler.toml`);
  return namespace.get(namespace.idFromName(name));
}
