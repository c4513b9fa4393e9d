/**
 * Calls to the cache test gateway (test/fixtures/gateways/cache), whose routes
 * put a cache in front of the local upstream's counting route: each answer
 * says who asked and how many times the upstream was asked for its key.
 */
import { inject } from "vitest";
import gateway from "../.generated/cache/app.ts";
import { call } from "./call.ts";
import { storeConsumer } from "./consumers.ts";

const UPSTREAM = `http://127.0.0.1:${inject("upstreamPort")}`;

export interface Counted {
  key: string;
  hit: number;
  consumer: string | null;
  language: string | null;
}

export const STORED = "Portico; fwd=miss; stored";
export const HIT = "Portico; hit";
export const STALE = "Portico; hit; detail=stale";
export const COLLAPSED = "Portico; fwd=miss; collapsed";
export const notStored = (reason: string) => `Portico; fwd=miss; detail=${reason}`;

/** A key of the counting route no other test uses. */
export const fresh = () => crypto.randomUUID();

/** The query string of the counting route's instructions (and any other parameters). */
export const query = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

/** A GET (or what `init` says) to the cache gateway, its body read. */
export async function get(path: string, init: RequestInit = {}) {
  const response = await call(gateway, path, init);
  const text = await response.text();
  const body = response.headers.get("content-type") === "application/json" && text ? (JSON.parse(text) as Counted) : undefined;
  return {
    status: response.status,
    headers: response.headers,
    cacheStatus: response.headers.get("cache-status"),
    age: response.headers.get("age"),
    text,
    body,
  };
}

/** How often the upstream was asked for this key. */
export async function upstreamHits(key: string): Promise<number> {
  return ((await (await fetch(`${UPSTREAM}/hits/${key}`)).json()) as { hits: number }).hits;
}

/** A consumer of its own, with the header that proves it. */
export async function consumer() {
  const id = `reader-${fresh()}`;
  return { id, headers: { "x-api-key": await storeConsumer({ id }) } };
}
