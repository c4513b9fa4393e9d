/**
 * @module
 * Portico API keys and how consumers are stored. Shared by the gateway (in
 * workerd) and `portico keys` (on Node), so it uses Web Crypto only.
 *
 * A key is `ptk_` + 30 random base62 characters + 6 base62 characters of the
 * CRC32 of those 30: 40 characters, about 178 random bits. The fixed prefix lets
 * secret scanners match `ptk_[0-9A-Za-z]{36}`; the checksum lets the gateway turn
 * away a mistyped key without reading KV.
 *
 * Storage, in the KV namespace bound as `CONSUMERS`:
 *   `key:<lowercase hex SHA-256 of the key>` → a ConsumerRecord as JSON,
 *   with a ConsumerListing as the KV key's metadata, so listing takes one call.
 * The key itself is never stored.
 */
import { sha256Hex } from "../../runtime/digest.ts";

export const API_KEY_PREFIX = "ptk_";
export const API_KEY_BODY_LENGTH = 30;
export const API_KEY_CHECKSUM_LENGTH = 6;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + API_KEY_BODY_LENGTH + API_KEY_CHECKSUM_LENGTH;
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const CHECKSUM_START = API_KEY_PREFIX.length + API_KEY_BODY_LENGTH;
const PREVIEW_LENGTH = API_KEY_PREFIX.length + 4;

const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62.length; i++) DIGIT_VALUE[BASE62.charCodeAt(i)] = i;

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checksumOf(body: string): string {
  let value = crc32(body);
  let digits = "";
  for (let i = 0; i < API_KEY_CHECKSUM_LENGTH; i++) {
    digits = BASE62[value % 62] + digits;
    value = Math.floor(value / 62);
  }
  return digits;
}

function randomBody(): string {
  let body = "";
  const bytes = new Uint8Array(API_KEY_BODY_LENGTH * 2);
  while (body.length < API_KEY_BODY_LENGTH) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      // 248 = 4 × 62: bytes above it are dropped so every character is equally likely.
      if (byte < 248 && body.length < API_KEY_BODY_LENGTH) body += BASE62[byte % 62];
    }
  }
  return body;
}

/** The key with the given 30-character base62 body: prefix, body, checksum. */
export function apiKeyFromBody(body: string): string {
  return API_KEY_PREFIX + body + checksumOf(body);
}

/** Swaps the characters at `index` and `index + 1`. */
export function swapAdjacent(key: string, index: number): string {
  return key.slice(0, index) + key[index + 1] + key[index] + key.slice(index + 2);
}

/** A new random API key. Show it once; store only its hash. */
export function generateApiKey(): string {
  for (;;) {
    const key = apiKeyFromBody(randomBody());
    // CRC32 catches any change inside the body, and the checksum is compared
    // whole, but a swap across the body/checksum border changes both at once.
    // Such a swap passes about once in 10^10 keys: those keys are never issued.
    if (!isWellFormedApiKey(swapAdjacent(key, CHECKSUM_START - 1))) return key;
  }
}

/** Prefix, length, alphabet and checksum. Bounded work on any input; never throws. */
export function isWellFormedApiKey(key: string): boolean {
  if (typeof key !== "string" || key.length !== API_KEY_LENGTH) return false;
  let wellFormed = key.startsWith(API_KEY_PREFIX);
  for (let i = API_KEY_PREFIX.length; i < API_KEY_LENGTH; i++) {
    wellFormed = (DIGIT_VALUE[key.charCodeAt(i)] ?? -1) >= 0 && wellFormed;
  }
  return checksumOf(key.slice(API_KEY_PREFIX.length, CHECKSUM_START)) === key.slice(CHECKSUM_START) && wellFormed;
}

/** The part of a key that is safe to show: the prefix and 4 characters, e.g. `ptk_Ab3x`. */
export function apiKeyPreview(key: string): string {
  return key.slice(0, PREVIEW_LENGTH);
}

/** The lowercase hex SHA-256 of the key: what the storage is keyed by. */
export function apiKeyHash(key: string): Promise<string> {
  return sha256Hex(key);
}

export const CONSUMER_KEY_PREFIX = "key:";

/** The KV key name of the consumer whose API key has this hash. */
export function consumerStorageKey(hash: string): string {
  return CONSUMER_KEY_PREFIX + hash;
}

/** What KV holds for one API key. */
export interface ConsumerRecord {
  id: string;
  name: string;
  tier?: string;
  scopes: string[];
  metadata: Record<string, unknown>;
  /** ISO 8601; the key stops working then. Null or absent: never. */
  expiresAt?: string | null;
  disabled?: boolean;
  /** The key's prefix and first 4 characters, safe to show. */
  keyPreview: string;
  /** ISO 8601. */
  createdAt: string;
}

/** The KV metadata of a stored key: what `portico keys list` shows without reading each value. */
export type ConsumerListing = Pick<ConsumerRecord, "id" | "name" | "tier" | "scopes" | "keyPreview" | "expiresAt" | "disabled" | "createdAt">;

export function consumerListing(record: ConsumerRecord): ConsumerListing {
  const { id, name, tier, scopes, keyPreview, expiresAt, disabled, createdAt } = record;
  return { id, name, tier, scopes, keyPreview, expiresAt: expiresAt ?? null, disabled: disabled ?? false, createdAt };
}

const isString = (value: unknown): value is string => typeof value === "string";
const isDate = (value: unknown): value is string => isString(value) && !Number.isNaN(Date.parse(value));
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The record, when `json` (a parsed value or JSON text) has its shape; otherwise
 * undefined, which the gateway treats as no consumer.
 */
export function parseConsumerRecord(json: unknown): ConsumerRecord | undefined {
  let value = json;
  if (isString(value)) {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!isPlainObject(value)) return undefined;
  const { id, name, tier, scopes, metadata, expiresAt, disabled, keyPreview, createdAt } = value;
  if (!isString(id) || id === "" || !isString(name) || !isString(keyPreview) || !isDate(createdAt)) return undefined;
  if (tier !== undefined && !isString(tier)) return undefined;
  if (!Array.isArray(scopes) || !scopes.every(isString)) return undefined;
  if (!isPlainObject(metadata)) return undefined;
  const expiry = expiresAt === undefined || expiresAt === null ? null : isDate(expiresAt) ? expiresAt : undefined;
  if (expiry === undefined) return undefined;
  if (disabled !== undefined && typeof disabled !== "boolean") return undefined;
  return {
    id,
    name,
    ...(tier === undefined ? {} : { tier }),
    scopes: [...scopes],
    metadata,
    expiresAt: expiry,
    disabled: disabled ?? false,
    keyPreview,
    createdAt,
  };
}

/** False when the record is disabled or its expiry has passed. */
export function isConsumerRecordActive(record: Pick<ConsumerRecord, "expiresAt" | "disabled">, now = Date.now()): boolean {
  if (record.disabled) return false;
  return record.expiresAt == null || Date.parse(record.expiresAt) > now;
}
