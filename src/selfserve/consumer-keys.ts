/**
 * @module
 * Consumers' API keys in KV, written the way `portico keys` writes them
 * (key-format.ts): `key:<SHA-256 of the key>` → the record, its listing as
 * the entry's metadata. A key is known by its `keyId`, the hex SHA-256 it is
 * stored under: the key itself is shown once, when made, and never kept.
 *
 * The gateway reads a record at most once a minute per isolate
 * (consumer-store.ts CACHE_SECONDS), and KV takes up to a minute more to
 * reach every location: a revoked key may still pass for that long.
 */
import {
  apiKeyHash,
  apiKeyPreview,
  CONSUMER_KEY_PREFIX,
  consumerListing,
  consumerStorageKey,
  generateApiKey,
  isConsumerRecordActive,
  parseConsumerRecord,
  type ConsumerListing,
  type ConsumerRecord,
} from "../policies/authenticate/key-format.ts";

export type KeyStatus = "active" | "expired" | "disabled";

/** A stored key as listed: its id, its listing (no secret) and whether it works now. */
export interface ListedKey extends ConsumerListing {
  keyId: string;
  status: KeyStatus;
}

/** A key just made: the only time the key itself is at hand. */
export interface IssuedKey {
  key: string;
  keyId: string;
  record: ConsumerRecord;
}

export interface NewKey {
  consumer: string;
  name?: string;
  tier?: string;
  scopes?: string[];
  metadata?: Record<string, unknown>;
  /** ISO 8601; absent or null: never. */
  expiresAt?: string | null;
}

/** Cloudflare refuses KV metadata above 1024 bytes; the listing is the metadata. */
export const MAX_LISTING_BYTES = 1024;
const KEY_ID = /^[0-9a-f]{64}$/;

export const isKeyId = (value: unknown): value is string => typeof value === "string" && KEY_ID.test(value);

function statusOf(listing: ConsumerListing, now: number): KeyStatus {
  return listing.disabled ? "disabled" : isConsumerRecordActive(listing, now) ? "active" : "expired";
}

/** Every stored key, or one consumer's: one KV list call per 1,000 keys, metadata only. */
export async function listKeys(kv: KVNamespace, consumer?: string): Promise<ListedKey[]> {
  const now = Date.now();
  const found: ListedKey[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await kv.list({ prefix: CONSUMER_KEY_PREFIX, cursor });
    for (const { name, metadata } of page.keys) {
      const record = typeof metadata === "object" && metadata !== null ? parseConsumerRecord({ ...metadata, metadata: {} }) : undefined;
      if (!record || (consumer !== undefined && record.id !== consumer)) continue;
      const listing = consumerListing(record);
      found.push({ keyId: name.slice(CONSUMER_KEY_PREFIX.length), ...listing, status: statusOf(listing, now) });
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return found.sort((a, b) => a.id.localeCompare(b.id) || b.createdAt.localeCompare(a.createdAt));
}

export async function readKey(kv: KVNamespace, keyId: string): Promise<ConsumerRecord | undefined> {
  return isKeyId(keyId) ? parseConsumerRecord(await kv.get(consumerStorageKey(keyId), "text")) : undefined;
}

async function store(kv: KVNamespace, keyId: string, record: ConsumerRecord): Promise<void> {
  await kv.put(consumerStorageKey(keyId), JSON.stringify(record), { metadata: consumerListing(record) });
}

/** Whether the record's listing fits in KV's metadata. */
export function listingFits(record: ConsumerRecord): boolean {
  return new TextEncoder().encode(JSON.stringify(consumerListing(record))).length <= MAX_LISTING_BYTES;
}

/** Makes a key for a consumer and stores its record; it works at once. */
export async function createKey(kv: KVNamespace, input: NewKey): Promise<IssuedKey> {
  const key = generateApiKey();
  const record: ConsumerRecord = {
    id: input.consumer,
    name: input.name ?? input.consumer,
    ...(input.tier === undefined ? {} : { tier: input.tier }),
    scopes: input.scopes ?? [],
    metadata: input.metadata ?? {},
    expiresAt: input.expiresAt ?? null,
    disabled: false,
    keyPreview: apiKeyPreview(key),
    createdAt: new Date().toISOString(),
  };
  const keyId = await apiKeyHash(key);
  await store(kv, keyId, record);
  return { key, keyId, record };
}

/** What became of a key that was rotated: it works until `expiresAt`, or was deleted (`revoked`). */
export interface Retired {
  keyId: string;
  keyPreview: string;
  expiresAt: string | null;
  revoked: boolean;
}

/**
 * A new key in place of `old` (the newest of them is its template: name, tier,
 * scopes, metadata), and each old key ending after `graceMs` (0: deleted now).
 */
export async function rotateKeys(
  kv: KVNamespace,
  old: Array<{ keyId: string; record: ConsumerRecord }>,
  options: { graceMs: number; expiresAt?: string | null },
): Promise<IssuedKey & { previous: Retired[] }> {
  const template = [...old].sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt))[0].record;
  const key = generateApiKey();
  const record: ConsumerRecord = {
    ...template,
    keyPreview: apiKeyPreview(key),
    createdAt: new Date().toISOString(),
    expiresAt: options.expiresAt ?? null,
    disabled: false,
  };
  const keyId = await apiKeyHash(key);
  await store(kv, keyId, record);
  const until = new Date(Date.now() + options.graceMs).toISOString();
  const previous: Retired[] = [];
  for (const { keyId: oldId, record: oldRecord } of old) {
    if (options.graceMs <= 0) {
      await kv.delete(consumerStorageKey(oldId));
      previous.push({ keyId: oldId, keyPreview: oldRecord.keyPreview, expiresAt: null, revoked: true });
      continue;
    }
    // A key already ending sooner keeps its own end.
    const expiresAt = oldRecord.expiresAt && oldRecord.expiresAt < until ? oldRecord.expiresAt : until;
    await store(kv, oldId, { ...oldRecord, expiresAt });
    previous.push({ keyId: oldId, keyPreview: oldRecord.keyPreview, expiresAt, revoked: false });
  }
  return { key, keyId, record, previous };
}

/** Deletes the keys' records: they stop working within the delay the module's comment gives. */
export async function revokeKeys(kv: KVNamespace, keyIds: string[]): Promise<void> {
  await Promise.all(keyIds.map((keyId) => kv.delete(consumerStorageKey(keyId))));
}
