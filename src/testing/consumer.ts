/**
 * @module
 * Consumers for tests: a plain one to put in `ctx.consumer` when running one
 * policy, or a real API key stored in the CONSUMERS namespace, the way
 * `portico keys create` stores it, for a test through authentication.
 */
import { env } from "cloudflare:workers";
import { apiKeyHash, apiKeyPreview, consumerListing, consumerStorageKey, generateApiKey, type ConsumerRecord } from "../policies/authenticate/key-format.ts";
import type { Consumer } from "../runtime/types.ts";

/**
 * A consumer as authentication sets it: `id` "test-consumer", no scopes, no tier and
 * empty metadata unless given.
 *
 * @example
 * ```ts
 * const gold = fakeConsumer({ id: "acme", tier: "gold", scopes: ["tickets:buy"] });
 * ```
 */
export function fakeConsumer(consumer: Partial<Consumer> = {}): Consumer {
  return { id: "test-consumer", scopes: [], metadata: {}, ...consumer };
}

/**
 * Stores `consumer` with a fresh API key in the consumers namespace (the CONSUMERS
 * binding unless another is given) and returns the key to send.
 *
 * @example
 * ```ts
 * const key = await storeApiKey({ id: "acme", tier: "gold" });
 * await callGateway(app, testRequest("/v1/exhibits", { headers: { "x-api-key": key } }));
 * ```
 */
export async function storeApiKey(consumer: Partial<Consumer> = {}, namespace?: KVNamespace): Promise<string> {
  const store = namespace ?? (env as { CONSUMERS?: KVNamespace }).CONSUMERS;
  if (!store) throw new Error("storeApiKey: no CONSUMERS binding in the test env; pass the namespace to use");
  const { id, scopes, tier, metadata } = fakeConsumer(consumer);
  const key = generateApiKey();
  const record: ConsumerRecord = {
    id,
    name: id,
    scopes,
    ...(tier === undefined ? {} : { tier }),
    metadata,
    keyPreview: apiKeyPreview(key),
    createdAt: new Date().toISOString(),
  };
  await store.put(consumerStorageKey(await apiKeyHash(key)), JSON.stringify(record), { metadata: consumerListing(record) });
  return key;
}
