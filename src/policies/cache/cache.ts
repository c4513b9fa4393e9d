/**
 * @module
 * cache: answers a GET (or HEAD) from the Workers Cache API before the
 * handler, and stores the handler's answer on the way out when its status and
 * Cache-Control allow, in the background (waitUntil) while the client's body
 * streams. A stale hit inside its stale-while-revalidate window is served
 * while one background request refreshes it; concurrent misses of one key in
 * an isolate wait for the first one's answer. Keys hold the purge generations
 * of their route and tags. Every answer it handles says what it did in
 * Cache-Status (RFC 9211).
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { addResponseHeader } from "../../runtime/context.ts";
import { describeError } from "../../runtime/log.ts";
import { noteCache } from "../../runtime/telemetry/request-telemetry.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { refetcher, whenAnswered } from "../../runtime/wrapping.ts";
import { answerPurge } from "./admin.ts";
import { generationsOf, purgeNames } from "./generations.ts";
import { InFlight, type Outcome } from "./in-flight.ts";
import { cacheKey } from "./key.ts";
import type { CacheOptions, CachePrepared } from "./options.ts";
import { decide, type StoreRules } from "./storable.ts";
import { fromStore, storedCopy, type Hit } from "./stored.ts";

const CACHE_STATUS = "cache-status";
const HIT = "Portico; hit";
const STALE = "Portico; hit; detail=stale";
/** A request that waited for another's answer instead of asking the upstream (RFC 9211 §2.7). */
const COLLAPSED = "Portico; fwd=miss; collapsed";

/** The Cache-Status header (RFC 9211) for the client, and the short word the access log keeps. */
function announce(ctx: GatewayContext, header: string, logged: "hit" | "miss" | "bypass"): void {
  addResponseHeader(ctx, CACHE_STATUS, header);
  noteCache(ctx, logged);
}

async function lookUp(key: Request, ctx: GatewayContext): Promise<Hit | undefined> {
  try {
    const found = await caches.default.match(key);
    return found && fromStore(found);
  } catch (error) {
    ctx.log.warn("cache lookup failed", describeError(error));
    return undefined;
  }
}

/** Stores the answer; whether it was. */
async function store(key: Request, copy: Response, ctx: GatewayContext): Promise<boolean> {
  try {
    await caches.default.put(key, copy);
    return true;
  } catch (error) {
    ctx.log.warn("cache store failed", describeError(error));
    return false;
  }
}

interface Pending {
  key: Request;
  head: boolean;
  /** Set when this request leads its key: the requests waiting for it hear how it went. */
  lead?: (outcome: Outcome) => void;
}

export const cache = defineBuiltin<CacheOptions, CachePrepared>({
  create({ options, prepared }) {
    const vary = options.vary.map((name) => name.toLowerCase());
    const rules: StoreRules = {
      by: prepared.by,
      ttl: options.ttl,
      staleWhileRevalidate: options.staleWhileRevalidate,
      statuses: [...options.statuses],
      vary: [...vary, ...prepared.headers],
    };
    /** What keys an entry besides the route, query and consumer: the listed headers and the declared ones. */
    const keyHeaders = [...new Set(rules.vary)].sort();
    const names = purgeNames(prepared.route, options.tags);
    /** Requests that missed, until their answer comes back out. */
    const misses = new WeakMap<GatewayContext, Pending>();
    const inFlight = new InFlight();
    /** Keys being refreshed in the background: one refresh each, however many stale hits meanwhile. */
    const refreshing = new Set<string>();

    /** The key, or the Cache-Status detail of why there is none. */
    async function keyOf(request: Request, ctx: GatewayContext): Promise<Request | string> {
      let generations: number[];
      try {
        const read = await generationsOf(ctx.env, options.binding, names);
        if (read.stale) ctx.log.warn("cache purge generations unavailable: the last ones read stand in", { binding: options.binding });
        generations = read.generations;
      } catch (error) {
        // Without them a purged answer could be served again: the request goes on uncached.
        ctx.log.warn("cache purge generations unavailable", { binding: options.binding, ...describeError(error) });
        return "purges-unavailable";
      }
      return (await cacheKey(request, ctx, prepared, keyHeaders, generations)) ?? "anonymous";
    }

    /** Refreshes a stale entry in the background, once per key at a time: the handler again, stored if it may be. */
    function refresh(request: Request, key: Request, ctx: GatewayContext): void {
      const refetch = refetcher(ctx, inbound);
      if (!refetch || refreshing.has(key.url)) return;
      refreshing.add(key.url);
      // A request of its own: the client's may be a HEAD, and its signal ends with the client.
      const again = new Request(request.url, { method: "GET", headers: request.headers });
      const refreshed = (async () => {
        try {
          const response = await refetch(again);
          const decision = decide(response.status, response.headers, rules);
          const copy = decision.store ? storedCopy(response, decision) : undefined;
          // Nobody reads this answer but the copy: its own branch of the body is let go.
          void response.body?.cancel();
          if (copy) return void (await store(key, copy, ctx));
          // An upstream in trouble leaves the stale answer served until its window ends; any other refusal removes it.
          if (response.status < 500) await caches.default.delete(key);
        } catch (error) {
          ctx.log.warn("cache refresh failed", describeError(error));
        } finally {
          refreshing.delete(key.url);
        }
      })();
      ctx.waitUntil(refreshed);
    }

    /** Answers a hit, refreshing it when stale. */
    function answerHit(hit: Hit, request: Request, key: Request, ctx: GatewayContext, header = HIT): Response {
      if (hit.stale) refresh(request, key, ctx);
      announce(ctx, hit.stale ? STALE : header, "hit");
      return hit.response;
    }

    async function inbound(request: Request, ctx: GatewayContext): Promise<Request | Response> {
      const head = request.method === "HEAD";
      if (request.method !== "GET" && !head) return request;
      // Request Cache-Control (no-cache, max-age=0) is not honoured: clients cannot make the gateway call the upstream at will.
      const key = await keyOf(request, ctx);
      if (typeof key === "string") {
        announce(ctx, `Portico; fwd=bypass; detail=${key}`, "bypass");
        return request;
      }
      // A HEAD stores nothing, so it neither leads nor waits; nor does a request outside a pipeline, whose end nobody hears.
      const joined = !head && whenAnswered(ctx, () => releaseUnanswered(ctx)) ? inFlight.join(key.url) : undefined;
      if (joined && "wait" in joined) {
        const outcome = await joined.wait;
        const hit = outcome === "alone" ? undefined : await lookUp(key, ctx);
        if (hit) return answerHit(hit, request, key, ctx, outcome === "stored" ? COLLAPSED : HIT);
        // The answer ahead could not be shared: this request asks for its own.
        misses.set(ctx, { key, head });
        return request;
      }
      const hit = await lookUp(key, ctx);
      if (hit) {
        joined?.lead("found");
        return answerHit(hit, request, key, ctx);
      }
      misses.set(ctx, { key, head, lead: joined?.lead });
      return request;
    }

    /** An error skips the outbound step: those waiting for this request's answer must not wait for one that never comes. */
    function releaseUnanswered(ctx: GatewayContext): void {
      const miss = misses.get(ctx);
      if (!miss?.lead) return;
      misses.delete(ctx);
      miss.lead("alone");
    }

    function outbound(response: Response, _request: Request, ctx: GatewayContext): Response {
      const miss = misses.get(ctx);
      if (!miss) return response;
      misses.delete(ctx);
      // A HEAD answer has no body to store for the GETs.
      const decision = miss.head ? { store: false as const, reason: "head" } : decide(response.status, response.headers, rules);
      if (!decision.store) {
        // Private, no-store, a cookie, a status: nothing another waiting request may be given.
        miss.lead?.("alone");
        announce(ctx, `Portico; fwd=miss; detail=${decision.reason}`, "miss");
        return response;
      }
      const stored = store(miss.key, storedCopy(response, decision), ctx);
      ctx.waitUntil(stored.then((done) => miss.lead?.(done ? "stored" : "alone")));
      announce(ctx, "Portico; fwd=miss; stored", "miss");
      return response;
    }

    return { inbound, outbound };
  },
  admin: [{ method: "POST", path: "/purge", answer: (request, _params, env, instances) => answerPurge(request, env, instances) }],
});
