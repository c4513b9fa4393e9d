/**
 * @module
 * The overhead bench's Worker entry around the generated gateway. Plain
 * workerd has no KV, so the `CONSUMERS` namespace is a one-record store in
 * the isolate holding the bench's consumer; the gateway keeps a consumer it
 * read for 60 s, so at the bench's pace KV would be read about once a minute.
 */
import { apiKeyHash, apiKeyPreview, consumerStorageKey } from "../../../src/policies/authenticate/key-format.ts";

export { RateLimiter } from "../../../src/policies/rate-limit/rate-limiter.ts";

interface FetchHandler {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Response | Promise<Response>;
}

async function oneConsumerStore(apiKey: string) {
  const name = consumerStorageKey(await apiKeyHash(apiKey));
  const record = JSON.stringify({
    id: "bench-consumer",
    name: "Bench",
    tier: "paid",
    scopes: [],
    metadata: {},
    keyPreview: apiKeyPreview(apiKey),
    createdAt: new Date().toISOString(),
  });
  return { get: async (key: string) => (key === name ? record : null) };
}

export default function withBenchConsumer(gateway: FetchHandler): FetchHandler {
  // workerd hands one env to every request of the isolate: the extended one is made once.
  let extended: Promise<Record<string, unknown>> | undefined;
  return {
    async fetch(request, env, ctx) {
      extended ??= oneConsumerStore(String(env.BENCH_API_KEY)).then((store) => ({ ...env, CONSUMERS: store }));
      return gateway.fetch(request, await extended, ctx);
    },
  };
}
