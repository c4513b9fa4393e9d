/**
 * @module
 * rate-limit: counts requests per key in a RateLimiter Durable Object (one
 * object per policy instance and key) and refuses with 429 past the limit.
 * Every response of a limited route carries the IETF RateLimit headers.
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { clientAddress } from "../../runtime/client-address.ts";
import { askCounter, durableStub } from "../../runtime/ask-counter.ts";
import { addResponseHeader } from "../../runtime/context.ts";
import { sha256Hex } from "../../runtime/digest.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import { measured, noteRateLimit } from "../../runtime/telemetry/request-telemetry.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { resolveLimit, type ResolvedLimit, type Settings } from "./keys.ts";
import type { RateLimitOptions, RateLimitPrepared } from "./options.ts";
import type { RateDecision, RateLimiter } from "./rate-limiter.ts";

/**
 * Async mode: keys the isolate decides without asking first. `until` in the
 * future: refused from memory (429, or 503 after a counter failure when
 * failing closed); in the past: asked strictly, because the key is at its limit.
 */
const watched = new Map<string, { until: number; decision: RateDecision; failed: boolean }>();
/** Keys each of async mode's per-isolate maps holds at most, so random keys cannot grow the isolate's memory. */
const KEYS_REMEMBERED = 10_000;
/** How long async mode refuses a key from memory after its counter failed to answer, failing closed. */
const FAILED_BLOCK_MS = 1000;

/**
 * Async mode: requests let through and not yet reported, per key, and the
 * keys whose report is on its way. A key has one report at a time; requests
 * let through meanwhile go in the next, so a hot key costs one Durable
 * Object request per round trip to it rather than one per request (which also
 * keeps it under the platform's request rate per object). Every request let
 * through is reported, unless the object cannot answer or the isolate goes
 * away first.
 */
const unreported = new Map<string, number>();
const reporting = new Map<string, { since: number }>();
/** Async mode: the counter's last answer for a key, with when it will be full again, for the RateLimit item. */
const lastAnswer = new Map<string, { remaining: number; fullAt: number }>();
/** Reports one request's waitUntil carries at most; what is left goes with the key's next request. */
const REPORTS_PER_REQUEST = 8;
/**
 * A report on its way longer than this is taken as lost (its request's
 * waitUntil cut short), so the key's next request sends one again rather
 * than the key going unreported in this isolate.
 */
const REPORT_LOST_MS = 10_000;

/** Adds to a bounded per-isolate map, forgetting the oldest key when full. */
function remember<V>(map: Map<string, V>, name: string, value: V): void {
  if (!map.has(name) && map.size >= KEYS_REMEMBERED) map.delete(map.keys().next().value!);
  map.set(name, value);
}

function reportInBackground(name: string, ctx: GatewayContext, charge: (count: number, ask: string) => Promise<RateDecision>, failOpen: boolean): void {
  remember(unreported, name, (unreported.get(name) ?? 0) + 1);
  const current = reporting.get(name);
  if (current && Date.now() - current.since < REPORT_LOST_MS) return;
  const mine = { since: Date.now() };
  remember(reporting, name, mine);
  const report = async () => {
    try {
      // Stops when another report has taken over from this one, taken as lost.
      for (let round = 0; round < REPORTS_PER_REQUEST && reporting.get(name) === mine; round++) {
        const count = unreported.get(name) ?? 0;
        if (count === 0) return;
        unreported.delete(name);
        mine.since = Date.now();
        learn(name, await askCounter((ask) => charge(count, ask), ctx), failOpen);
      }
    } finally {
      if (reporting.get(name) === mine) reporting.delete(name);
    }
  };
  ctx.waitUntil(report());
}

/** Async mode: what the counter said decides how the key's next request is handled. */
function learn(name: string, decision: RateDecision | undefined, failOpen: boolean): void {
  watched.delete(name);
  if (decision) remember(lastAnswer, name, { remaining: decision.remaining, fullAt: Date.now() + decision.reset * 1000 });
  // Room left (or no answer and failing open): back to asking in the background.
  if ((decision?.allowed && decision.remaining > 0) || (!decision && failOpen)) return;
  if (!decision) {
    const shown = { allowed: false, limit: 0, remaining: 0, reset: 1, retryAfter: 1, retryAfterMs: FAILED_BLOCK_MS };
    remember(watched, name, { until: Date.now() + FAILED_BLOCK_MS, decision: shown, failed: true });
  } else {
    remember(watched, name, { until: Date.now() + decision.retryAfterMs, decision, failed: false });
  }
}

/** Keys come from headers and user code: long ones are hashed, so a name (and the isolate's memory) stays small. */
async function shortKey(key: string): Promise<string> {
  if (key.length <= 128) return key;
  return `sha256:${await sha256Hex(key)}`;
}

function announce(ctx: GatewayContext, label: string, limit: number, window: number, decision: Pick<RateDecision, "remaining" | "reset">) {
  addResponseHeader(ctx, "ratelimit-policy", `"${label}";q=${limit};w=${window}`);
  addResponseHeader(ctx, "ratelimit", `"${label}";r=${decision.remaining};t=${decision.reset}`);
}

/**
 * Async mode answers before the counter does, so its RateLimit item is what
 * this isolate knows: the counter's last answer for the key, less the
 * requests let through since, and the seconds until full counted down from
 * it (each request let through adds window / limit). A key this isolate has
 * not heard of yet is taken as counted from empty.
 */
function estimate(name: string, limit: number, window: number, letThrough: 0 | 1): Pick<RateDecision, "remaining" | "reset"> {
  const since = (unreported.get(name) ?? 0) + letThrough;
  const known = lastAnswer.get(name);
  const fullIn = Math.max(0, ((known?.fullAt ?? Date.now()) - Date.now()) / 1000) + (since * window) / limit;
  return { remaining: Math.max(0, (known?.remaining ?? limit) - since), reset: Math.min(window, Math.ceil(fullIn)) };
}

function refuse(decision: RateDecision): never {
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

/** Counts one key against its limit: returns when admitted, throws the 429 (or 503) otherwise. */
async function count(ctx: GatewayContext, settings: Settings, { key, limit, window }: ResolvedLimit, headers: boolean): Promise<void> {
  const label = settings.name;
  const shown = (decision: Pick<RateDecision, "remaining" | "reset">) => headers && announce(ctx, label, limit, window, decision);
  const name = `${settings.instance}\u0000${await shortKey(key)}`;
  const failOpen = settings.failMode === "open";
  const counter = () => durableStub<RateLimiter>(ctx.env, settings.binding, name);
  const ask = async (id: string) => measured(ctx, `${label} counter`, "client", () => counter().check(limit, window, id));

  if (settings.mode === "async") {
    const known = watched.get(name);
    if (!known) {
      // Not known to be over: go on at once, count in the background.
      // Read before the report takes this request's count away.
      shown(estimate(name, limit, window, 1));
      reportInBackground(name, ctx, async (count, ask) => counter().charge(limit, window, count, ask), failOpen);
      return;
    }
    if (known.until > Date.now()) {
      if (known.failed) throw new GatewayError(PROBLEM.serviceUnavailable, "The rate limiter cannot answer right now. Retry shortly.", { "retry-after": "1" });
      shown(estimate(name, limit, window, 0));
      refuse({ ...known.decision, retryAfter: Math.max(1, Math.ceil((known.until - Date.now()) / 1000)) });
    }
    // A key at its limit is decided strictly until it has room again, so async overshoots
    // only until the report that finds it full is back: about two round trips to the object.
  }

  const decision = await askCounter(ask, ctx);
  if (decision) shown(decision);
  else if (headers) addResponseHeader(ctx, "ratelimit-policy", `"${label}";q=${limit};w=${window}`);
  if (settings.mode === "async") learn(name, decision, failOpen);
  if (!decision) {
    if (failOpen) return;
    throw new GatewayError(PROBLEM.serviceUnavailable, "The rate limiter cannot answer right now. Retry shortly.", { "retry-after": "1" });
  }
  if (!decision.allowed) refuse(decision);
}
