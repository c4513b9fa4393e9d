/**
 * @module
 * Finds the consumer an API key belongs to. KV holds records under the
 * SHA-256 of the key; the isolate keeps answers for CACHE_SECONDS so a hot key
 * costs one KV read a minute, and revocation takes effect within that time
 * plus KV's own propagation delay.
 */
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import type { Consumer } from "../../runtime/types.ts";
import { apiKeyHash, consumerStorageKey, isConsumerRecordActive, isWellFormedApiKey, parseConsumerRecord, type ConsumerRecord } from "./key-format.ts";

/** How long an isolate trusts what it read (found or not found). */
export const CACHE_SECONDS = 60;
/** Bound on cached entries, so random keys cannot grow the isolate's memory. */
const CACHE_LIMIT = 10_000;
/** A KV read answers in milliseconds; one that has not within this is an outage, not a wait. */
const READ_TIMEOUT_MS = 3_000;

interface KVLike {
  get(key: string, type: "text"): Promise<string | null>;
}

const cache = new Map<string, { record: ConsumerRecord | undefined; until: number }>();

/** The read's value, or a rejection once it has taken READ_TIMEOUT_MS. */
async function withinTimeout<T>(read: Promise<T>): Promise<T> {
  let timer!: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("KV read timed out")), READ_TIMEOUT_MS)));
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readRecord(kv: KVLike, binding: string, key: string): Promise<ConsumerRecord | undefined> {
  const now = Date.now();
  // Per namespace: a key of one namespace must not open a scheme that reads another.
  // By the key itself, so a hit costs no hashing: keys seen stay in the isolate's memory for up
  // to CACHE_SECONDS (KV still holds only their hashes).
  const cacheKey = `${binding}\u0000${key}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.until > now) return hit.record;
  let raw: unknown;
  try {
    // Text, not "json": a garbled record is no consumer, not an outage.
    raw = await withinTimeout(kv.get(consumerStorageKey(await apiKeyHash(key)), "text"));
  } catch (error) {
    // Unknown is not "no": an outage (or a read that never ends) must not turn into anonymous access, nor a 500.
    // The cause is for the log (authenticate writes it), never for the body.
    const unavailable = new GatewayError(PROBLEM.serviceUnavailable, "Credentials cannot be checked right now. Retry shortly.", { "retry-after": "5" });
    throw Object.assign(unavailable, { cause: `KV binding ${binding}: ${String(error)}` });
  }
  const record = parseConsumerRecord(raw);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, { record, until: now + CACHE_SECONDS * 1000 });
  return record;
}

function bindingOf(env: Record<string, unknown>, binding: string): KVLike {
  const kv = env[binding] as KVLike | undefined;
  if (!kv || typeof kv.get !== "function") {
    const unavailable = new GatewayError(PROBLEM.serviceUnavailable, "Credentials cannot be checked right now.", { "retry-after": "5" });
    throw Object.assign(unavailable, { cause: `KV binding ${binding} is missing` });
  }
  return kv;
}

const usable = (record: ConsumerRecord | undefined) => (record && isConsumerRecordActive(record) ? record : undefined);

function toConsumer(record: ConsumerRecord): Consumer {
  return { id: record.id, scopes: [...record.scopes], tier: record.tier, metadata: { name: record.name, ...record.metadata } };
}

/** The consumer of an API key, or undefined; a malformed key never reaches KV. */
export async function consumerOfKey(env: Record<string, unknown>, binding: string, key: string): Promise<Consumer | undefined> {
  if (!isWellFormedApiKey(key)) return undefined;
  const record = usable(await readRecord(bindingOf(env, binding), binding, key));
  return record && toConsumer(record);
}
