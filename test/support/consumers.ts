/**
 * Stores a consumer in the CONSUMERS namespace of the workerd tests, the way
 * `portico keys create` does (under the SHA-256 of a fresh key); returns the key.
 */
import { env } from "cloudflare:workers";
import { apiKeyHash, apiKeyPreview, consumerStorageKey, generateApiKey } from "../../src/policies/authenticate/key-format.ts";

export async function storeConsumer(record: { id: string } & Record<string, unknown>, namespace: KVNamespace = env.CONSUMERS): Promise<string> {
  const key = generateApiKey();
  const stored = { name: record.id, scopes: [], metadata: {}, keyPreview: apiKeyPreview(key), createdAt: new Date().toISOString(), ...record };
  await namespace.put(consumerStorageKey(await apiKeyHash(key)), JSON.stringify(stored));
  return key;
}
