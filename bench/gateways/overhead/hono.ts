/**
 * @module
 * The overhead bench's hand-written peer: the Portico gateway's forward,
 * checked and async routes (openapi/openapi.yaml beside this file) as a
 * competent Hono user writes them, with Hono's own middleware where it has
 * one: `bearerAuth` reading the API key from X-API-Key, `validator` for the
 * query (a plain function: workerd refuses code generated at run time),
 * `timeout` for the upstream's deadline and `proxy` for the forward. The
 * async rate limit counts in a Durable Object of its own, in the background,
 * and refuses a key from memory once its counter has said it is full. Each
 * request gets an id (`requestId`, answered as X-Request-Id) and one JSON
 * access line, as every Portico request does: a gateway that logs nothing
 * does less work, not the same work more cheaply.
 *
 * It does the work Portico does on these routes and nothing more: errors are
 * Hono's plain text or a small JSON body, not RFC 9457 problems; no trace
 * context, no RateLimit item estimated for the key, no consumer tier or scopes.
 */
import { DurableObject } from "cloudflare:workers";
import { Hono, type Context } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { createMiddleware } from "hono/factory";
import { proxy } from "hono/proxy";
import { requestId } from "hono/request-id";
import { timeout } from "hono/timeout";
import { validator } from "hono/validator";

interface Env {
  UPSTREAM_URL: string;
  /** The one consumer's API key; its SHA-256 is what the consumer store holds. */
  BENCH_API_KEY: string;
  COUNTER: DurableObjectNamespace<RequestCounter>;
}

/** As the Portico routes: far above what the bench sends, so nothing is refused. */
const LIMIT = 1_000_000;
const WINDOW_SECONDS = 60;
/** How long a consumer read from the store is kept, as Portico keeps one read from KV. */
const CONSUMER_TTL_MS = 60_000;
const UPSTREAM_TIMEOUT_MS = 30_000;
const SORTS = new Set(["name", "created", "updated"]);

/** A fixed-window counter per key: the window's count in memory, written through to storage. */
export class RequestCounter extends DurableObject {
  #window = -1;
  #count = 0;

  async add(limit: number, windowSeconds: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const windowMs = windowSeconds * 1000;
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    if (this.#window === -1) {
      const stored = await this.ctx.storage.get<{ window: number; count: number }>("count");
      if (stored) [this.#window, this.#count] = [stored.window, stored.count];
    }
    if (window !== this.#window) [this.#window, this.#count] = [window, 0];
    this.#count++;
    // Not awaited: the output gate holds the answer until the write is durable.
    void this.ctx.storage.put("count", { window, count: this.#count });
    return { allowed: this.#count <= limit, retryAfterMs: (window + 1) * windowMs - now };
  }
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
const sha256 = async (text: string) => hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));

/** The consumer store: one record, under the SHA-256 of the bench's key (as Portico's KV holds it). */
let store: Promise<Map<string, string>> | undefined;
/** Consumers read from the store, by key hash, until `expires`. */
const consumers = new Map<string, { id: string | undefined; expires: number }>();

async function consumerOf(key: string, env: Env): Promise<string | undefined> {
  const hash = await sha256(key);
  const cached = consumers.get(hash);
  if (cached && cached.expires > Date.now()) return cached.id;
  store ??= sha256(env.BENCH_API_KEY).then((known) => new Map([[known, "bench-consumer"]]));
  const id = (await store).get(hash);
  consumers.set(hash, { id, expires: Date.now() + CONSUMER_TTL_MS });
  return id;
}

/** Keys the counter said were full, refused from memory until the time kept. */
const full = new Map<string, number>();

type Peer = { Bindings: Env; Variables: { consumer: string; requestId: string } };
const app = new Hono<Peer>().basePath("/v1");

const apiKey = bearerAuth<Peer>({
  headerName: "X-API-Key",
  prefix: "",
  verifyToken: async (key, c) => {
    const consumer = await consumerOf(key, c.env);
    if (consumer !== undefined) c.set("consumer", consumer);
    return consumer !== undefined;
  },
});

const query = validator("query", (value, c) => {
  const { limit, sort } = value as Record<string, string | string[] | undefined>;
  const count = Number(limit);
  if (typeof limit !== "string" || !/^\d+$/.test(limit) || count < 1 || count > 100) return c.json({ error: "limit must be an integer from 1 to 100" }, 400);
  if (sort !== undefined && (typeof sort !== "string" || !SORTS.has(sort))) return c.json({ error: "sort must be name, created or updated" }, 400);
  return { limit: count, sort };
});

const asyncLimit = createMiddleware<Peer>(async (c, next) => {
  const key = c.req.header("x-bench-key") ?? "";
  const until = full.get(key);
  if (until !== undefined && until > Date.now()) {
    return c.json({ error: "Too many requests" }, 429, { "retry-after": String(Math.ceil((until - Date.now()) / 1000)) });
  }
  const counter = c.env.COUNTER.get(c.env.COUNTER.idFromName(key));
  const counted = counter.add(LIMIT, WINDOW_SECONDS).then(
    ({ allowed, retryAfterMs }) => void (allowed ? full.delete(key) : full.set(key, Date.now() + retryAfterMs)),
    // Fails open: a counter that cannot answer lets the key through.
    () => undefined,
  );
  c.executionCtx.waitUntil(counted);
  await next();
  c.header("RateLimit-Policy", `"bench";q=${LIMIT};w=${WINDOW_SECONDS}`);
});

/** The request as the origin gets it: the key taken out, the consumer put in, X-Forwarded-* from the connection. */
function forward(c: Context<Peer>, consumer?: string) {
  const url = new URL(c.req.url);
  // As Portico forwards: the path below the API's base path, /v1.
  return proxy(c.env.UPSTREAM_URL + url.pathname.slice("/v1".length) + url.search, {
    ...c.req,
    headers: {
      ...c.req.header(),
      host: undefined,
      "x-api-key": undefined,
      "x-consumer-id": consumer,
      "x-forwarded-for": c.req.header("cf-connecting-ip"),
      "x-forwarded-proto": url.protocol.slice(0, -1),
      "x-forwarded-host": url.host,
    },
  });
}

/** One JSON line per request once its answer is known, with the fields Portico's access line has for these routes. */
const accessLog = createMiddleware<Peer>(async (c, next) => {
  const started = Date.now();
  await next();
  console.log(
    JSON.stringify({
      level: "info",
      message: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      durationMs: Date.now() - started,
      consumer: c.get("consumer") ?? null,
      client: c.req.header("cf-connecting-ip") ?? null,
      time: new Date().toISOString(),
    }),
  );
});

app.use(requestId(), accessLog, timeout(UPSTREAM_TIMEOUT_MS));
app.get("/forward/items", (c) => forward(c));
app.get("/checked/items", apiKey, query, (c) => forward(c, c.get("consumer")));
app.get("/async/items", apiKey, asyncLimit, query, (c) => forward(c, c.get("consumer")));

export default app;
