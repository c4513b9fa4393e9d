/**
 * @module
 * The Fastify peer of bench/peers.ts: Fastify 5 on Node serving the overhead
 * bench's own document (gateways/overhead/openapi/openapi.yaml) through
 * fastify-openapi-glue, which makes the routes and their query validation from
 * it (Fastify's Ajv, compiled when the server starts, with Fastify's type
 * coercion of query strings). The API key is checked by the glue's handler
 * for the document's `key` scheme, with the same SHA-256 lookup and 60 s cache
 * as Portico; the async route's limit is @fastify/rate-limit's, counted in
 * this process's memory; the forward is @fastify/reply-from's (undici).
 *
 * Run as its own process, `node fastify-peer.ts <origin URL> <API key>`: it
 * prints its port on stdout once it listens.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import rateLimit from "@fastify/rate-limit";
import replyFrom from "@fastify/reply-from";
import Fastify, { type FastifyReply, type FastifyRequest, type RouteOptions } from "fastify";
import openapiGlue from "fastify-openapi-glue";
import { parse } from "yaml";

const DOCUMENT = fileURLToPath(new URL("../gateways/overhead/openapi/openapi.yaml", import.meta.url).href);
/** As the Portico route: far above what the bench sends. */
const LIMIT = 1_000_000;
const CONSUMER_TTL_MS = 60_000;
const BASE_PATH = "/v1";

declare module "fastify" {
  interface FastifyRequest {
    /** The consumer the API key names, once the key's security handler has passed. */
    consumer: string;
  }
}

async function serve(upstream: string, apiKey: string) {
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  const store = new Map([[sha256(apiKey), "bench-consumer"]]);
  const consumers = new Map<string, { id: string | undefined; expires: number }>();
  const consumerOf = (key: string) => {
    const hash = sha256(key);
    const cached = consumers.get(hash);
    if (cached && cached.expires > Date.now()) return cached.id;
    const id = store.get(hash);
    consumers.set(hash, { id, expires: Date.now() + CONSUMER_TTL_MS });
    return id;
  };

  const app = Fastify({ logger: false });
  app.decorateRequest("consumer", "");
  await app.register(replyFrom, { base: upstream });
  // Only on the routes that ask for it (config.rateLimit), as the document's async route does.
  await app.register(rateLimit, { global: false });

  const forward = (request: FastifyRequest, reply: FastifyReply) =>
    reply.from(request.url.slice(BASE_PATH.length), {
      rewriteRequestHeaders: (_, headers) => {
        const { "x-api-key": _key, ...rest } = headers;
        return {
          ...rest,
          ...(request.consumer ? { "x-consumer-id": request.consumer } : {}),
          "x-forwarded-for": request.ip,
          "x-forwarded-proto": request.protocol,
          "x-forwarded-host": request.host,
        };
      },
    });

  const routes: Record<string, Partial<RouteOptions>> = {
    forwardItems: { handler: forward },
    checkedItems: { handler: forward },
    asyncItems: {
      handler: forward,
      config: { rateLimit: { max: LIMIT, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => String(request.headers["x-bench-key"] ?? "") } },
    },
  };

  await app.register(openapiGlue, {
    specification: parse(readFileSync(DOCUMENT, "utf8")) as object,
    prefix: BASE_PATH,
    // Strict mode has no Fastify counterpart (the plugin counts in one process's memory): its route answers 500.
    operationResolver: (operationId) => routes[operationId] as RouteOptions,
    securityHandlers: {
      key: async (request: FastifyRequest) => {
        const key = request.headers["x-api-key"];
        const consumer = typeof key === "string" ? consumerOf(key) : undefined;
        if (consumer === undefined) throw Object.assign(new Error("Missing or invalid API key"), { statusCode: 401 });
        request.consumer = consumer;
      },
    },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  console.log((app.server.address() as { port: number }).port);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve(process.argv[2], process.argv[3]);
