import { describe, expect, it } from "vitest";
import type { GatewayContext } from "../../runtime/types.ts";
import { apiKeyHash, consumerStorageKey, generateApiKey } from "./key-format.ts";
import { consumerOfCredential } from "./verify.ts";

/** A consumer namespace that counts its reads and holds one consumer. */
async function store(id: string) {
  const key = generateApiKey();
  const storageKey = consumerStorageKey(await apiKeyHash(key));
  const record = JSON.stringify({ id, name: id, scopes: ["read"], metadata: {}, keyPreview: key.slice(0, 8), createdAt: new Date().toISOString() });
  const kv = { reads: 0, get: async (name: string) => (kv.reads++, name === storageKey ? record : null) };
  const ctx = { env: { KV: kv }, waitUntil: () => {} } as unknown as GatewayContext;
  return { key, kv, ctx };
}

const JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJhY21lIn0.c2lnbmF0dXJl";

describe("consumerOfCredential", () => {
  it("bearer with credential apiKey: a key proves its consumer; a JWT is no key and never reaches KV", async () => {
    const { key, kv, ctx } = await store("acme");
    const scheme = { type: "bearerKey", binding: "KV" } as const;
    expect(await consumerOfCredential(scheme, key, ctx)).toMatchObject({ id: "acme", scopes: ["read"] });
    expect(kv.reads).toBe(1);
    expect(await consumerOfCredential(scheme, JWT, ctx)).toBeUndefined();
    expect(kv.reads).toBe(1);
  });

  it("basic: `<key>:` is the key alone, `<id>:<key>` needs the right id, and a mistyped key as user name is never looked up", async () => {
    const { key, kv, ctx } = await store("acme");
    const scheme = { type: "basic", binding: "KV" } as const;
    expect(await consumerOfCredential(scheme, `${key}:`, ctx)).toMatchObject({ id: "acme" });
    expect(await consumerOfCredential(scheme, `acme:${key}`, ctx)).toMatchObject({ id: "acme" });
    expect(await consumerOfCredential(scheme, `other:${key}`, ctx)).toBeUndefined();
    // A key as user name with a password is the first form: the user name must be the consumer's id.
    expect(await consumerOfCredential(scheme, `${key}:${key}`, ctx)).toBeUndefined();
    const reads = kv.reads;
    expect(await consumerOfCredential(scheme, `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}:`, ctx)).toBeUndefined();
    expect(kv.reads).toBe(reads);
  });
});
