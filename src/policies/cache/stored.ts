/**
 * @module
 * An answer as the Cache API keeps it, and back. The stored copy carries what
 * a hit needs in one header of its own (when it was stored, its Age then, its
 * own Cache-Control, its lifetime and stale window); its Cache-Control is
 * rewritten to the whole time the Cache API must keep it: lifetime plus the
 * stale window. Whether a hit is fresh or stale is decided here, by Date.now(),
 * not by the Cache API, which only drops what has outlived both.
 */
import type { Decision } from "./storable.ts";

/** The header of the stored copy that holds `Stored`. */
const STORED = "x-portico-cache";

/** Statuses whose answers have no body, which the local Cache API cannot store as they are. */
const NULL_BODY = new Set([204, 205]);

interface Stored {
  at: number;
  age: number;
  status: number;
  cacheControl: string | null;
  /** Seconds fresh; absent in entries stored before the stale window existed, which are fresh while kept. */
  lifetime?: number;
  /** Seconds served stale after that. */
  stale?: number;
}

/** The copy the Cache API keeps: the answer's headers, its lifetime as the Cache API reads it, and what a hit needs back. */
export function storedCopy(response: Response, decision: Extract<Decision, { store: true }>): Response {
  const headers = new Headers(response.headers);
  const age = Number(response.headers.get("age"));
  const stored: Stored = {
    at: Date.now(),
    age: Number.isInteger(age) && age > 0 ? age : 0,
    status: response.status,
    cacheControl: response.headers.get("cache-control"),
    lifetime: decision.lifetime,
    stale: decision.stale,
  };
  headers.set(STORED, JSON.stringify(stored));
  headers.set("cache-control", `max-age=${decision.lifetime + decision.stale}`);
  headers.delete("age");
  // A 204 goes in as an empty 200: miniflare's Cache API fails to read a 204 back.
  if (NULL_BODY.has(response.status)) return new Response("", { status: 200, headers });
  return new Response(response.clone().body, { status: response.status, statusText: response.statusText, headers });
}

/** A hit as the client gets it, and whether it is past its lifetime. */
export interface Hit {
  response: Response;
  stale: boolean;
}

/** A hit from what the Cache API found: the answer's own headers and its Age; undefined when not ours or past its stale window. */
export function fromStore(found: Response, now = Date.now()): Hit | undefined {
  let stored: Stored;
  try {
    stored = JSON.parse(found.headers.get(STORED) ?? "");
  } catch {
    void found.body?.cancel();
    return undefined; // not one of ours
  }
  const since = Math.max(0, Math.floor((now - stored.at) / 1000));
  const stale = stored.lifetime !== undefined && now - stored.at >= stored.lifetime * 1000;
  if (stale && now - stored.at >= (stored.lifetime! + (stored.stale ?? 0)) * 1000) {
    void found.body?.cancel();
    return undefined;
  }
  const headers = new Headers(found.headers);
  for (const name of [STORED, "cf-cache-status", "age", "cache-control"]) headers.delete(name);
  if (stored.cacheControl !== null) headers.set("cache-control", stored.cacheControl);
  headers.set("age", String(stored.age + since));
  if (NULL_BODY.has(stored.status)) {
    void found.body?.cancel();
    return { response: new Response(null, { status: stored.status, headers }), stale };
  }
  return { response: new Response(found.body, { status: found.status, statusText: found.statusText, headers }), stale };
}
