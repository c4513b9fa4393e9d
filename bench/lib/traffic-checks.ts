/**
 * @module
 * The traffic bench's variants, and what must hold before and after they are
 * measured: the bare Worker answers the page itself, the bare cache Worker
 * from the Cache API once it stored it, the route without a cache reaches the
 * origin once per request, and the cached route, once warmed, is answered from
 * the cache with the origin called once in all.
 */
import type { Client, Reply, RequestShape } from "./load.ts";
import type { Origin } from "./origin.ts";

export const VARIANTS = ["bare", "bare cache hit", "cache hit", "no cache"] as const;
export type Variant = (typeof VARIANTS)[number];

/** The bare Workers take any path; the gateway's two routes differ only in the cache. */
const PATHS: Record<Variant, string> = {
  bare: "/v1/cached/items",
  "bare cache hit": "/v1/cached/items",
  "cache hit": "/v1/cached/items",
  "no cache": "/v1/forwarded/items",
};

/** What the origin sees of the cached route: `upstream` followed by the operation's path. */
export const CACHED_ORIGIN_PATH = "/cached/items";

export const requestOf = (variant: Variant): RequestShape => ({
  method: "GET",
  target: PATHS[variant],
  headers: { host: "bench.example", accept: "application/json" },
});

const HIT = "Portico; hit";
const STORED = "Portico; fwd=miss; stored";
/** The store runs after the answer (waitUntil): how long the checks wait for the first hit. */
const STORE_WAIT_MS = 5_000;

const cacheStatus = (reply: Reply) => String(reply.headers["cache-status"] ?? "");
/** What the local Cache API itself says on an answer it found. */
const cfCacheStatus = (reply: Reply) => String(reply.headers["cf-cache-status"] ?? "");
const isPage = (reply: Reply) => {
  try {
    return reply.status === 200 && Array.isArray((JSON.parse(reply.body) as { items?: unknown }).items);
  } catch {
    return false;
  }
};
const sumOf = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** Origin requests of every path so far. */
export const originTotal = async (origin: Origin) => sumOf(await origin.requests());

/**
 * The checks before measuring, in order (the first cached request is the one miss):
 * returns what failed, and how many claims were checked.
 */
export async function checkVariants(clientOf: (variant: Variant) => Client, origin: Origin): Promise<{ failures: string[]; claims: number }> {
  const failures: string[] = [];
  let claims = 0;
  const claim = (variant: Variant, what: string, holds: boolean, seen: string) => {
    claims++;
    if (!holds) failures.push(`${variant}, ${what}: got ${seen}`);
  };
  const ask = async (variant: Variant) => {
    const before = await originTotal(origin);
    const reply = await clientOf(variant).send(requestOf(variant));
    return { reply, originCalls: (await originTotal(origin)) - before, seen: `${reply.status}, Cache-Status "${cacheStatus(reply)}"` };
  };
  /** Asks until `holds`: a store runs after its answer (waitUntil). */
  const askUntil = async (variant: Variant, holds: (reply: Reply) => boolean) => {
    let asked = await ask(variant);
    for (const until = performance.now() + STORE_WAIT_MS; !holds(asked.reply) && performance.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      asked = await ask(variant);
    }
    return asked;
  };

  const bare = await ask("bare");
  claim("bare", "200 with the page, the origin not called", isPage(bare.reply) && bare.originCalls === 0, `${bare.seen}, ${bare.originCalls} origin call(s)`);

  const bareHit = await askUntil("bare cache hit", (reply) => cfCacheStatus(reply) === "HIT");
  claim(
    "bare cache hit",
    "200 with the page from the Cache API (CF-Cache-Status: HIT)",
    isPage(bareHit.reply) && cfCacheStatus(bareHit.reply) === "HIT",
    bareHit.seen,
  );

  const forwarded = await ask("no cache");
  claim("no cache", "200 with the origin's page", isPage(forwarded.reply), forwarded.seen);
  claim("no cache", "no Cache-Status, one origin call", cacheStatus(forwarded.reply) === "" && forwarded.originCalls === 1, forwarded.seen);

  const first = await ask("cache hit");
  claim("cache hit", "the first request misses and is stored", isPage(first.reply) && cacheStatus(first.reply) === STORED, first.seen);
  const hit = await askUntil("cache hit", (reply) => cacheStatus(reply) === HIT);
  claim("cache hit", `then "${HIT}" with the page`, isPage(hit.reply) && cacheStatus(hit.reply) === HIT && hit.originCalls === 0, hit.seen);
  return { failures, claims };
}

/** After the rounds: a request is still a hit, and the origin was asked for the cached route only by the one miss. */
export async function checkStillCached(client: Client, origin: Origin): Promise<string | undefined> {
  const reply = await client.send(requestOf("cache hit"));
  const calls = (await origin.requests())[CACHED_ORIGIN_PATH] ?? 0;
  if (cacheStatus(reply) === HIT && calls === 1) return undefined;
  return `after the rounds: Cache-Status "${cacheStatus(reply)}", the origin called ${calls} time(s) for ${CACHED_ORIGIN_PATH} (expected 1)`;
}
