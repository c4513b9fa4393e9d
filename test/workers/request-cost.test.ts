/**
 * What one request costs the gateway's own machinery, counted rather than
 * timed: the calls into workerd's C++ (every Headers method, a message's
 * `headers` and `url`), the Request, Response, Headers and URL objects made,
 * and per-request bookkeeping (WeakMap entries, timers, random draws, clock
 * reads). Each figure is held at or under the best the gateway has reached, so
 * a change that adds work to every request shows here; how fast the work is
 * stays `npm run bench:overhead`'s to measure.
 *
 * Updating a figure: when a change makes a request cost less, lower the figure
 * here to the new count (set it one below and the failure prints every count).
 * Raising one is a decision about the gateway's speed: say in the change why
 * every request needs the extra work.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import gateway from "../.generated/request-cost/app.ts";
import { countCalls, headersOperations, type Counts } from "../support/api-calls.ts";
import { storeConsumer } from "../support/consumers.ts";

/**
 * The figures held: today's counts for each route. Most of the Headers calls are the checks the
 * gateway owes every request (hop-by-hop fields and method overrides refused, a client's consumer
 * headers dropped) and forward's copies of the headers each way; the API key route adds its one
 * Request (the upstream's, with the consumer's headers, which forward need not check again) and
 * validation's reading of the query (from the URL's text: no URL is made).
 */
const HELD = {
  forward: { headersOperations: 87, requests: 0, responses: 1, headers: 2, urls: 0, urlReads: 5, weakMapSets: 0, timers: 1, randomDraws: 2, clockReads: 8 },
  "api key + validation": {
    headersOperations: 94,
    requests: 1,
    responses: 1,
    headers: 2,
    urls: 0,
    urlReads: 6,
    weakMapSets: 0,
    timers: 1,
    randomDraws: 2,
    clockReads: 10,
  },
};

type Figures = (typeof HELD)["forward"];

function figures(counts: Counts): Figures {
  const count = (...names: string[]) => names.reduce((sum, name) => sum + (counts[name] ?? 0), 0);
  return {
    headersOperations: headersOperations(counts),
    requests: count("new Request"),
    responses: count("new Response"),
    headers: count("new Headers"),
    urls: count("new URL"),
    urlReads: count("Request.url"),
    weakMapSets: count("WeakMap.set"),
    timers: count("globalThis.setTimeout"),
    randomDraws: count("crypto.randomUUID", "crypto.getRandomValues"),
    clockReads: count("Date.now"),
  };
}

/** Every request carries the same headers, as the bench's do. */
const HEADERS = { accept: "application/json", "user-agent": "request-cost", connection: "keep-alive", "x-bench-key": "key-1" };

let apiKey = "";

beforeAll(async () => {
  apiKey = await storeConsumer({ id: "cost-consumer", tier: "paid" });
});

/** One request through the gateway, counted from the call to its answer (the client's own Request made before). */
async function costOf(path: string, headers: Record<string, string>) {
  const request = new Request(`https://api.example.com/v1${path}`, { headers });
  const ctx = createExecutionContext();
  const { result: response, counts } = await countCalls(() => gateway.fetch(request, env, ctx));
  await waitOnExecutionContext(ctx);
  const body = await response.text();
  return { status: response.status, body, counts };
}

describe("what one request costs the gateway", () => {
  const routes = {
    forward: () => costOf("/forward/items?limit=10&sort=name", HEADERS),
    "api key + validation": () => costOf("/checked/items?limit=10&sort=name", { ...HEADERS, "x-api-key": apiKey }),
  };

  for (const [name, send] of Object.entries(routes) as Array<[keyof typeof HELD, () => ReturnType<typeof costOf>]>) {
    it(`${name}: holds its Headers calls and the objects it makes at today's figures`, async () => {
      // The first request sets the operation up for this env (and reads the consumer from KV): not what each request costs.
      expect((await send()).status).toBe(200);
      const { status, body, counts } = await send();
      expect(status, body).toBe(200);
      const measured = figures(counts);
      const over = Object.entries(measured).filter(([figure, value]) => value > HELD[name][figure as keyof Figures]);
      expect(over, `${name} costs more than held: ${JSON.stringify(measured)} (every call: ${JSON.stringify(counts)})`).toEqual([]);
    });
  }
});
