/**
 * @module
 * What the rate-limit bench sends: one GET, keyed by `X-Bench-Key`, on the
 * route of each variant; the count of Durable Object requests the bench's
 * entry reports, tallied per variant; the pass that proves each mode counts
 * and refuses; and what a key far over its limit costs in each mode.
 */
import type { Check } from "./checks.ts";
import type { Client, Reply, RequestShape } from "./load.ts";

export const VARIANTS = ["unlimited", "async", "strict"] as const;
export type Variant = (typeof VARIANTS)[number];

/** The measured routes (a limit of 1,000,000 a minute per key) and their twins with a limit of 5. */
const PATHS = {
  unlimited: "/v1/unlimited/items",
  async: "/v1/async/items",
  strict: "/v1/strict/items",
  "async, limit 5": "/v1/async-low/items",
  "strict, limit 5": "/v1/strict-low/items",
} as const;

/** Answered by gateways/rate-limit/worker.ts: the `check` and `charge` calls its RateLimiter objects have received. */
const DURABLE_REQUESTS_PATH = "/__bench/durable-object-requests";

export type Route = keyof typeof PATHS;

export function requestOf(route: Route, key: string): RequestShape {
  return { method: "GET", target: PATHS[route], headers: { host: "bench.example", accept: "application/json", "x-bench-key": key } };
}

/** `keys` requests, key-0 to key-(keys-1), for a batch to send in turn. */
export function spreadOver(route: Variant, keys: number): RequestShape[] {
  return Array.from({ length: keys }, (_, i) => requestOf(route, `key-${i}`));
}

async function durableRequestsNow(client: Client): Promise<number> {
  const reply = await client.send({ method: "GET", target: DURABLE_REQUESTS_PATH, headers: { host: "bench.example" } });
  const { checks } = JSON.parse(reply.body) as { checks?: unknown };
  if (reply.status !== 200 || typeof checks !== "number")
    throw new Error(`The bench entry did not report its Durable Object requests: ${reply.status} ${reply.body.slice(0, 200)}`);
  return checks;
}

const SETTLE_STEP_MS = 25;
/** Longer than async mode's batch interval (1 s): a batch not full is reported a second after its first request. */
const SETTLE_QUIET_MS = 1_200;
const SETTLE_LIMIT_MS = 5_000;

/**
 * The Durable Object requests so far, once the count has stopped moving for
 * longer than a batch waits: async mode reports after the response, so its
 * last reports are still to come when the batch ends, and would otherwise run
 * into the next batch.
 */
export async function durableRequests(client: Client): Promise<number> {
  const until = performance.now() + SETTLE_LIMIT_MS;
  let last = await durableRequestsNow(client);
  let since = performance.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_STEP_MS));
    const now = await durableRequestsNow(client);
    if (now !== last) [last, since] = [now, performance.now()];
    else if (performance.now() - since > SETTLE_QUIET_MS || performance.now() > until) return now;
  }
}

const header = (reply: Reply, name: string) => [reply.headers[name]].flat()[0];

/** Sends the requests one after another; returns their replies and the Durable Object requests they made. */
async function inSequence(client: Client, requests: RequestShape[]) {
  const before = await durableRequests(client);
  const replies: Reply[] = [];
  for (const request of requests) replies.push(await client.send(request));
  return { replies, statuses: replies.map((reply) => reply.status), durable: (await durableRequests(client)) - before };
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;
const freshKey = () => `check-${crypto.randomUUID()}`;

/** A 429 as the policy makes it: problem+json, Retry-After, and the RateLimit headers at zero. */
function refusalProblem(reply: Reply | undefined): string | undefined {
  if (!reply || reply.status !== 429) return `no 429 (got ${reply?.status})`;
  if (!/^application\/problem\+json/.test(header(reply, "content-type") ?? "")) return `a 429 that is not problem+json: ${reply.body.slice(0, 200)}`;
  if (!(Number(header(reply, "retry-after")) >= 1)) return `a 429 without Retry-After ≥ 1 (${header(reply, "retry-after")})`;
  if (!/^"low";r=0;t=\d+$/.test(header(reply, "ratelimit") ?? "")) return `a 429 without RateLimit r=0 (${header(reply, "ratelimit")})`;
  return undefined;
}

/** What the check pass saw of async mode over its limit, for the report. */
export interface AsyncOverLimit {
  sent: number;
  admitted: number;
  refused: number;
  durableRequests: number;
}

/**
 * Each measured route does what it claims, and a limit of 5 refuses: strict
 * exactly from the 6th request, async from memory once the background count
 * says so, without asking the object again.
 */
export function checksFor(seen: { asyncOverLimit?: AsyncOverLimit }): Check[] {
  const one = (
    variant: string,
    what: string,
    route: keyof typeof PATHS,
    holds: (replies: Reply[], durable: number) => string | undefined,
    sent = 1,
  ): Check => ({
    variant,
    what,
    async verify(client) {
      const key = freshKey();
      const { replies, durable } = await inSequence(
        client,
        Array.from({ length: sent }, () => requestOf(route, key)),
      );
      return holds(replies, durable);
    },
  });
  return [
    one("unlimited", "200, no RateLimit headers, no Durable Object request", "unlimited", ([reply], durable) =>
      reply.status === 200 && header(reply, "ratelimit-policy") === undefined && durable === 0
        ? undefined
        : `got ${reply.status}, RateLimit-Policy ${header(reply, "ratelimit-policy")}, ${durable} Durable Object requests`,
    ),
    one("async", "200 with the isolate's count, one Durable Object request (the batch) after the response", "async", ([reply], durable) =>
      reply.status === 200 &&
      header(reply, "ratelimit-policy") === '"bench";q=1000000;w=60' &&
      /^"bench";r=99999\d;t=1$/.test(header(reply, "ratelimit") ?? "") &&
      durable === 1
        ? undefined
        : `got ${reply.status}, RateLimit-Policy ${header(reply, "ratelimit-policy")}, RateLimit ${header(reply, "ratelimit")}, ${durable} Durable Object requests`,
    ),
    one("strict", "200 with the counter's answer, one Durable Object request", "strict", ([reply], durable) =>
      reply.status === 200 && /^"bench";r=99999\d;t=\d+$/.test(header(reply, "ratelimit") ?? "") && durable === 1
        ? undefined
        : `got ${reply.status}, RateLimit ${header(reply, "ratelimit")}, ${durable} Durable Object requests`,
    ),
    one(
      "strict, limit 5",
      "8 requests on one key: 5 × 200 then 3 × 429, each one Durable Object request",
      "strict, limit 5",
      (replies, durable) => {
        const statuses = replies.map((reply) => reply.status).join(",");
        if (statuses !== "200,200,200,200,200,429,429,429") return `statuses ${statuses}`;
        return refusalProblem(replies[5]) ?? (durable === 8 ? undefined : `${durable} Durable Object requests`);
      },
      8,
    ),
    one("strict, limit 5", "a fresh key still gets 200 after another was refused", "strict, limit 5", ([reply]) =>
      reply.status === 200 ? undefined : `got ${reply.status}`,
    ),
    one(
      "async, limit 5",
      "20 requests on one key: 5 × 200 first, then 429s refused from memory",
      "async, limit 5",
      (replies, durable) => {
        const statuses = replies.map((reply) => reply.status);
        seen.asyncOverLimit = { sent: statuses.length, admitted: count(statuses, 200), refused: count(statuses, 429), durableRequests: durable };
        if (statuses.slice(0, 5).some((status) => status !== 200)) return `statuses ${statuses.join(",")}`;
        if (count(statuses, 200) + count(statuses, 429) !== statuses.length) return `statuses ${statuses.join(",")}`;
        // The object answers "over the limit" after the 6th response at the earliest.
        const firstRefused = replies.findIndex((reply) => reply.status === 429);
        if (firstRefused < 0) return "no 429 among 20 requests";
        return (
          refusalProblem(replies[firstRefused]) ??
          (durable < statuses.length ? undefined : `${durable} Durable Object requests for ${statuses.length} requests: refusals asked the object`)
        );
      },
      20,
    ),
  ];
}

/** Part 3's variants: the routes with a limit of 5 a minute, every request on one fresh key. */
const OVER_LIMIT: Route[] = ["strict, limit 5", "async, limit 5"];
export const OVER_LIMIT_REQUESTS = 1000;

export interface OverLimit {
  variant: Route;
  requests: number;
  admitted: number;
  refused: number;
  durableRequestsPerThousand: number;
}

/** What a key far over its limit costs: 1,000 requests on it, 4 in flight, and the Durable Object requests they made. */
export async function overLimit(client: Client, concurrency: number): Promise<OverLimit[]> {
  const results: OverLimit[] = [];
  for (const variant of OVER_LIMIT) {
    const before = await durableRequests(client);
    const batch = await client.batch([requestOf(variant, `over-${variant}-${Date.now()}`)], OVER_LIMIT_REQUESTS, concurrency);
    const durable = (await durableRequests(client)) - before;
    const admitted = batch.statuses.get(200) ?? 0;
    const refused = batch.statuses.get(429) ?? 0;
    if (admitted + refused !== OVER_LIMIT_REQUESTS) throw new Error(`${variant}: ${[...batch.statuses].map(([status, n]) => `${n} × ${status}`).join(", ")}`);
    results.push({ variant, requests: OVER_LIMIT_REQUESTS, admitted, refused, durableRequestsPerThousand: (1000 * durable) / OVER_LIMIT_REQUESTS });
  }
  return results;
}

/** Requests and Durable Object requests per variant, over every batch (warm-up included). */
export class DurableTally {
  #counts = new Map<string, { requests: number; durable: number }>();
  add(variant: string, requests: number, durable: number) {
    const sum = this.#counts.get(variant) ?? { requests: 0, durable: 0 };
    this.#counts.set(variant, { requests: sum.requests + requests, durable: sum.durable + durable });
  }
  perThousand(variant: string): number {
    const sum = this.#counts.get(variant);
    return sum && sum.requests > 0 ? (1000 * sum.durable) / sum.requests : NaN;
  }
}
