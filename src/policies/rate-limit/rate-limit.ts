/**
 * @module
 * rate-limit: counts requests per key in a RateLimiter Durable Object (one
 * object per policy instance and key) and refuses with 429 past the limit.
 * Every response of a limited route carries the IETF RateLimit headers.
 */
import type { RateDecision, RateLimiter } from "../../durable/rate-limiter.ts";
import { definePolicy } from "../../index.ts";
import { clientAddress } from "../../runtime/client-address.ts";
import { askCounter } from "../../runtime/ask-counter.ts";
import { addResponseHeader } from "../../runtime/context.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { options, type RateLimitPrepared } from "./options.ts";
import { resolveLimit, type Settings } from "./keys.ts";

/** Async mode: keys found over their limit, refused from memory until this time (ms). */
const blocked = new Map<string, { until: number; decision: RateDecision }>();
const BLOCKED_LIMIT = 10_000;

type Counter = Pick<RateLimiter, "check">;

function counterOf(ctx: GatewayContext, binding: string, name: string): Counter {
  const namespace = ctx.env[binding] as DurableObjectNamespace<RateLimiter> | undefined;
  if (!namespace) throw new Error(`The Durable Object binding ${binding} is missing from wrangler.toml`);
  return namespace.get(namespace.idFromName(name));
}

function announce(ctx: GatewayContext, label: string, limit: number, window: number, decision: RateDecision | undefined) {
  addResponseHeader(ctx, "ratelimit-policy", `"${label}";q=${limit};w=${window}`);
  if (decision) addResponseHeader(ctx, "ratelimit", `"${label}";r=${decision.remaining};t=${decision.reset}`);
}

function refuse(decision: RateDecision): never {
  throw new GatewayError(PROBLEM.tooManyRequests, `Too many requests: the limit is ${decision.limit}. Retry in ${decision.retryAfter} s.`, {
    "retry-after": String(decision.retryAfter),
  });
}

export const rateLimit = definePolicy({
  options,
  async inbound(request, ctx, settings) {
    const prepared = settings as unknown as Settings & RateLimitPrepared;
    const resolved = await resolveLimit(request, ctx, prepared, clientAddress(request));
    if (!resolved) return request;
    const { key, limit, window } = resolved;
    const label = prepared.name ?? "default";
    const name = `${prepared.instance}\u0000${key}`;
    const failOpen = prepared.failMode === "open";
    const ask = async () => counterOf(ctx, prepared.binding ?? "RATE_LIMITER", name).check(limit, window);

    if (prepared.mode === "async") {
      const known = blocked.get(name);
      if (known && known.until > Date.now()) {
        announce(ctx, label, limit, window, known.decision);
        refuse({ ...known.decision, retryAfter: Math.max(1, Math.ceil((known.until - Date.now()) / 1000)) });
      }
      ctx.waitUntil(
        askCounter(ask, ctx).then((decision) => {
          if (!decision || decision.allowed) return void blocked.delete(name);
          if (blocked.size >= BLOCKED_LIMIT) blocked.delete(blocked.keys().next().value!);
          blocked.set(name, { until: Date.now() + decision.retryAfter * 1000, decision });
        }),
      );
      announce(ctx, label, limit, window, undefined);
      return request;
    }

    const decision = await askCounter(ask, ctx);
    announce(ctx, label, limit, window, decision);
    if (!decision) {
      if (failOpen) return request;
      throw new GatewayError(PROBLEM.serviceUnavailable, "The rate limiter cannot answer right now. Retry shortly.", { "retry-after": "1" });
    }
    if (!decision.allowed) refuse(decision);
    return request;
  },
});
