/**
 * @module
 * Approximate mode: a Workers Rate Limiting binding (`[[ratelimits]]` in
 * wrangler.toml) counts, per Cloudflare location, with no Durable Object.
 * It answers only whether the request is within the limit: no remaining
 * count, no exact Retry-After.
 */
import { measured } from "../../runtime/telemetry/request-telemetry.ts";
import type { GatewayContext } from "../../runtime/types.ts";

/**
 * True: within the limit; false: over it; undefined: the binding could not
 * answer (logged), and the policy's failMode decides. Never retried: a call
 * carries no id the binding could answer twice, so a retry might count the
 * request again.
 */
export async function askBinding(ctx: GatewayContext, binding: string, key: string, label: string): Promise<boolean | undefined> {
  try {
    const limiter = ctx.env[binding] as RateLimit | undefined;
    if (typeof limiter?.limit !== "function") throw new Error(`The rate limiting binding ${binding} is missing from wrangler.toml`);
    const { success } = await measured(ctx, `${label} counter`, "client", () => limiter.limit({ key }));
    return success;
  } catch (error) {
    ctx.log.error("rate limiter unavailable", { error: String(error), binding });
    return undefined;
  }
}
