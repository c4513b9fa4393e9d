/**
 * @module
 * cache: answers a GET (or HEAD) from the Workers Cache API before the
 * handler, and stores the handler's answer on the way out when its status and
 * Cache-Control allow, in the background (waitUntil) while the client's body
 * streams. Every answer it handles says what it did in Cache-Status (RFC 9211).
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { addResponseHeader } from "../../runtime/context.ts";
import { describeError } from "../../runtime/log.ts";
import { noteCache } from "../../runtime/telemetry/request-telemetry.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { cacheKey } from "./key.ts";
import type { CacheOptions, CachePrepared } from "./options.ts";
import { decide, type StoreRules } from "./storable.ts";

const CACHE_STATUS = "cache-status";

/** The Cache-Status header (RFC 9211) for the client, and the short word the access log keeps. */
function announce(ctx: GatewayContext, header: string, logged: "hit" | "miss" | "bypass"): void {
  addResponseHeader(ctx, CACHE_STATUS, header);
  noteCache(ctx, logged);
}
/** What the stored copy keeps of itself: when it was stored, its Age then, and the Cache-Control it came with. */
const STORED = "x-portico-cache";

/** Statuses whose answers have no body, which the local Cache API cannot store as they are. */
const NULL_BODY = new Set([204, 205]);

interface Stored {
  at: number;
  age: number;
  status: number;
  cacheControl: string | null;
}

/** The copy the Cache API keeps: the answer's headers, its lifetime as the Cache API reads it, and what a hit needs back. */
function storedCopy(response: Response, lifetime: number): Response {
  const headers = new Headers(response.headers);
  const age = Number(response.headers.get("age"));
  const stored: Stored = {
    at: Date.now(),
    age: Number.isInteger(age) && age > 0 ? age : 0,
    status: response.status,
    cacheControl: response.headers.get("cache-control"),
  };
  headers.set(STORED, JSON.stringify(stored));
  headers.set("cache-control", `max-age=${lifetime}`);
  headers.delete("age");
  // A 204 goes in as an empty 200: miniflare's Cache API fails to read a 204 back.
  if (NULL_BODY.has(response.status)) return new Response("", { status: 200, headers });
  return new Response(response.clone().body, { status: response.status, statusText: response.statusText, headers });
}

/** A hit as the client gets it: the answer's own headers, and its Age. */
function fromStore(found: Response): Response | undefined {
  let stored: Stored;
  try {
    stored = JSON.parse(found.headers.get(STORED) ?? "");
  } catch {
    return undefined; // not one of ours
  }
  const headers = new Headers(found.headers);
  for (const name of [STORED, "cf-cache-status", "age", "cache-control"]) headers.delete(name);
  if (stored.cacheControl !== null) headers.set("cache-control", stored.cacheControl);
  headers.set("age", String(stored.age + Math.max(0, Math.floor((Date.now() - stored.at) / 1000))));
  if (NULL_BODY.has(stored.status)) {
    void found.body?.cancel();
    return new Response(null, { status: stored.status, headers });
  }
  return new Response(found.body, { status: found.status, statusText: found.statusText, headers });
}

async function lookUp(key: Request, ctx: GatewayContext): Promise<Response | undefined> {
  try {
    const found = await caches.default.match(key);
    return found && fromStore(found);
  } catch (error) {
    ctx.log.warn("cache lookup failed", describeError(error));
    return undefined;
  }
}

interface Pending {
  key: Request;
  head: boolean;
}

export const cache = defineBuiltin<CacheOptions, CachePrepared>({
  create({ options, prepared }) {
    const vary = options.vary.map((name) => name.toLowerCase());
    const rules: StoreRules = { by: prepared.by, ttl: options.ttl, statuses: [...options.statuses], vary: [...vary, ...prepared.headers] };
    /** What keys an entry besides the route, query and consumer: the listed headers and the declared ones. */
    const keyHeaders = [...new Set(rules.vary)].sort();
    /** Requests that missed, until their answer comes back out. */
    const misses = new WeakMap<GatewayContext, Pending>();

    async function inbound(request: Request, ctx: GatewayContext): Promise<Request | Response> {
      const head = request.method === "HEAD";
      if (request.method !== "GET" && !head) return request;
      // Request Cache-Control (no-cache, max-age=0) is not honoured: clients cannot make the gateway call the upstream at will.
      const key = await cacheKey(request, ctx, prepared, keyHeaders);
      if (!key) {
        announce(ctx, "Portico; fwd=bypass; detail=anonymous", "bypass");
        return request;
      }
      const hit = await lookUp(key, ctx);
      if (hit) {
        announce(ctx, "Portico; hit", "hit");
        return hit;
      }
      misses.set(ctx, { key, head });
      return request;
    }

    function outbound(response: Response, _request: Request, ctx: GatewayContext): Response {
      const miss = misses.get(ctx);
      if (!miss) return response;
      misses.delete(ctx);
      // A HEAD answer has no body to store for the GETs.
      const decision = miss.head ? { store: false as const, reason: "head" } : decide(response.status, response.headers, rules);
      if (!decision.store) {
        announce(ctx, `Portico; fwd=miss; detail=${decision.reason}`, "miss");
        return response;
      }
      const copy = storedCopy(response, decision.lifetime);
      ctx.waitUntil(caches.default.put(miss.key, copy).catch((error: unknown) => ctx.log.warn("cache store failed", describeError(error))));
      announce(ctx, "Portico; fwd=miss; stored", "miss");
      return response;
    }

    return { inbound, outbound };
  },
});
