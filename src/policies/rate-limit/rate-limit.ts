/**
 * @module
 * rate-limit: counts requests per key and refuses with 429 past the limit.
 * strict and async count in a RateLimiter Durable Object (one object per
 * policy instance and key): strict asks it before the request goes on, async
 * decides from the isolate's copy and reports in batches (async-counts.ts).
 * approximate asks a Workers Rate Limiting binding (approximate.ts). Every
 * response of a limited route carries the IETF RateLimit headers.
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { clientAddress } from "../../runtime/client-address.ts";
import { askCounter, durableStub } from "../../runtime/ask-counter.ts";
import { addResponseHeader } from "../../runtime/context.ts";
import { sha256Hex } from "../../runtime/digest.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { measured, noteRateLimit } from "../../runtime/telemetry/request-telemetry.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { askBinding } from "./approximate.ts";
import { decideAsync } from "./async-counts.ts";
import { resolveLimit, type ResolvedLimit, type Settings } from "./keys.ts";
import type { RateLimitOptions, RateLimitPrepared } from "./options.ts";
import type { RateDecision, RateLimiter } from "./rate-limiter.ts";

/** Keys come from headers and user code: long ones are hashed, so a name (and the isolate's memory) stays small. */
async function shortKey(key: string): Promise<string> {
  if (key.length <= 128) return key;
  return `sha256:${await sha256Hex(key)}`;
}

function announce(ctx: GatewayContext, label: string, limit: number, window: number, decision?: Pick<RateDecision, "remaining" | "reset">) {
  addResponseHeader(ctx, "ratelimit-policy", `"${label}";q=${limit};w=${window}`);
  if (decision) addResponseHeader(ctx, "ratelimit", `"${label}";r=${decision.remaining};t=${decision.reset}`);
}

function refuse(decision: Pick<RateDecision, "limit" | "retryAfter">): never {
  throw new GatewayError(PROBLEM.tooManyRequests, `Too many requests: the limit is ${decision.limit}. Retry in ${decision.retryAfter} s.`, {
    "retry-after": String(decision.retryAfter),
  });
}

export const rateLimit = defineBuiltin<RateLimitOptions, RateLimitPrepared>({
  create({ options, prepared }) {
    // Its own copy (tiers included): what a request reads was settled at set-up.
    const settings: Settings = { ...structuredClone(options), ...prepared };
    return { inbound: (request, ctx) => limit(request, ctx, settings) };
  },
});

async function limit(request: Request, ctx: GatewayContext, settings: Settings): Promise<Request> {
  const resolved = await resolveLimit(request, ctx, settings, clientAddress(request));
  if (!resolved) return request;
  try {
    await count(ctx, settings, resolved, true);
    // The caller's network is counted after its own address; its refusal carries Retry-After, the headers stay the address's.
    if (resolved.network) await count(ctx, settings, { ...resolved, ...resolved.network }, false);
  } catch (error) {
    if (error instanceof GatewayError && error.kind === PROBLEM.tooManyRequests) noteRateLimit(ctx, "refused");
    throw error;
  }
  noteRateLimit(ctx, "allowed");
  return request;
}

const unavailable = () => new GatewayError(PROBLEM.serviceUnavailable, "The rate limiter cannot answer right now. Retry shortly.", { "retry-after": "1" });

/** Counts one key against its limit: returns when admitted, throws the 429 (or 503) otherwise. */
async function count(ctx: GatewayContext, settings: Settings, resolved: ResolvedLimit, headers: boolean): Promise<void> {
  const { key, limit, window } = resolved;
  const label = settings.name;
  const name = `${settings.instance}\u0000${await shortKey(key)}`;
  const failOpen = settings.failMode === "open";
  if (settings.mode === "approximate") {
    if (headers) announce(ctx, label, limit, window);
    const admitted = await askBinding(ctx, resolved.binding ?? settings.binding, name, label);
    if (admitted === false) refuse({ limit, retryAfter: window });
    if (admitted === undefined && !failOpen) throw unavailable();
    return;
  }
  const counter = () => durableStub<RateLimiter>(ctx.env, settings.binding, name);
  const measure = (run: () => Promise<RateDecision>) => measured(ctx, `${label} counter`, "client", run);
  const decision =
    settings.mode === "async"
      ? await decideAsync(
          ctx,
          name,
          {
            // Reports go after the response, outside the request's timings.
            charge: (pending, ask) => counter().charge(limit, window, pending, ask),
            check: (already, ask) => measure(() => counter().check(limit, window, ask, already)),
          },
          { limit, window, failOpen },
        )
      : await askCounter((ask) => measure(() => counter().check(limit, window, ask)), ctx);
  if (headers) announce(ctx, label, limit, window, decision);
  if (!decision) {
    if (failOpen) return;
    throw unavailable();
  }
  if (!decision.allowed) refuse(decision);
}
