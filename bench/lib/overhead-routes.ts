/**
 * @module
 * The routes of the overhead bench's document (gateways/overhead/openapi) as
 * every gateway measured on them serves them: Portico, the hand-written Hono
 * Worker, Fastify and HAProxy. The request a variant sends, and the checks
 * that prove a gateway does a route's work before any figure is taken: the
 * origin's page for a valid request, 401 without the key, 400 for a query out
 * of bounds, the key kept from the origin and the consumer named to it, the
 * limit announced.
 */
import { expectReply, type Check } from "./checks.ts";
import type { RequestShape } from "./load.ts";
import type { Origin } from "./origin.ts";

/** What a route does: forward only; an API key, the query checked and forward; the same with a rate limit. */
export type Work = "forward" | "checked" | "async" | "strict";

export const PATHS: Record<Work, string> = {
  forward: "/v1/forward/items",
  checked: "/v1/checked/items",
  async: "/v1/async/items",
  strict: "/v1/strict/items",
};

/** The consumer every gateway names to the origin for the bench's key. */
export const CONSUMER_ID = "bench-consumer";

/** Every request carries the same headers whatever the route, so only the work done on them differs. */
export function requestOf(work: Work, key: string, apiKey: string | undefined, query = "limit=10&sort=name"): RequestShape {
  const headers: Record<string, string> = { host: "bench.example", accept: "application/json", "x-bench-key": key };
  if (apiKey !== undefined) headers["x-api-key"] = apiKey;
  return { method: "GET", target: `${PATHS[work]}?${query}`, headers };
}

/** One shape per rate-limit key, taken in turn, so no single counter carries the load. */
export const shapesOf = (work: Work, keys: number, apiKey: string) => Array.from({ length: keys }, (_, i) => requestOf(work, `key-${i}`, apiKey));

const isOriginPage = (body: string) => Array.isArray((JSON.parse(body) as { items?: unknown }).items);

/** A rate-limit header of any spelling: IETF RateLimit-Policy, or X-RateLimit-Limit as Fastify's plugin sends. */
const announcesLimit = (headers: Record<string, unknown>) => Object.keys(headers).some((name) => /^(x-)?ratelimit/.test(name));

/** A valid request reaches the origin without the API key and with the consumer's id. */
function upstreamSeesConsumer(variant: string, work: Work, apiKey: string, origin: Origin): Check {
  return {
    variant,
    what: "the key kept from the origin, the consumer named to it",
    async verify(client) {
      // A key of its own tells this request apart at the origin, whatever path the gateway forwards it to.
      const mark = `seen-${Math.random().toString(36).slice(2)}`;
      const reply = await client.send(requestOf(work, mark, apiKey));
      const seen = Object.values(await origin.headers()).find((headers) => headers["x-bench-key"] === mark);
      if (!seen) return `status ${reply.status}; the request never reached the origin`;
      if (reply.status === 200 && seen["x-api-key"] === undefined && seen["x-consumer-id"] === CONSUMER_ID) return undefined;
      return `status ${reply.status}; the origin saw x-api-key ${seen["x-api-key"] === undefined ? "absent" : "present"}, x-consumer-id ${String(seen["x-consumer-id"])}`;
    },
  };
}

/** The checks of one variant serving `work`. */
export function checksOf(variant: string, work: Work, apiKey: string, origin: Origin): Check[] {
  const page = expectReply(variant, "200 with the origin's page", requestOf(work, "check", apiKey), 200, (reply) => isOriginPage(reply.body));
  if (work === "forward") return [page];
  const checks = [
    page,
    expectReply(variant, "401 without an API key", requestOf(work, "check", undefined), 401, () => true),
    expectReply(variant, "401 with an unknown API key", requestOf(work, "check", `${apiKey.slice(0, -1)}x`), 401, () => true),
    expectReply(variant, "400 for limit=0", requestOf(work, "check", apiKey, "limit=0"), 400, () => true),
    expectReply(variant, "400 for limit=ten", requestOf(work, "check", apiKey, "limit=ten"), 400, () => true),
    expectReply(variant, "400 for sort=size", requestOf(work, "check", apiKey, "limit=10&sort=size"), 400, () => true),
    upstreamSeesConsumer(variant, work, apiKey, origin),
  ];
  if (work === "async")
    checks.push(expectReply(variant, "the limit announced", requestOf(work, "check", apiKey), 200, (reply) => announcesLimit(reply.headers)));
  if (work === "strict")
    checks.push(
      expectReply(variant, "the counter's answer", requestOf(work, "check", apiKey), 200, (reply) => /r=\d+/.test(String(reply.headers["ratelimit"]))),
    );
  return checks;
}
