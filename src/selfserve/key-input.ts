/**
 * @module
 * What a request to make or rotate a key may say, checked before anything is
 * written: the same rules `portico keys` applies to its options (keys-args.ts),
 * so a key made through the gateway is one the CLI can list and revoke.
 */
import type { NewKey } from "./consumer-keys.ts";
import { isKeyId } from "./consumer-keys.ts";

/** Why a request was turned away, for its 400. */
export interface Refusal {
  refused: string;
}

export const refusal = (refused: string): Refusal => ({ refused });

/** A consumer id: printable ASCII without spaces; a developer's is `portal:` and the sub of their ID token. */
const CONSUMER = /^[\x21-\x7e]{1,200}$/;
const TIER = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
export const MAX_NAME_LENGTH = 100;
/** The longest grace a rotation gives the old key: 90 days. */
export const MAX_GRACE_SECONDS = 90 * 86_400;
export const DEFAULT_GRACE_SECONDS = 86_400;
const MAX_METADATA_BYTES = 8 * 1024;

export const isConsumerId = (value: string) => CONSUMER.test(value);

/** A key's display name: trimmed, at most MAX_NAME_LENGTH characters, no control characters. */
export function readName(value: unknown): string | undefined | Refusal {
  if (value === undefined) return undefined;
  if (typeof value !== "string") return refusal("name must be a string.");
  const name = value.trim();
  if (name.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name))
    return refusal(`name must be at most ${MAX_NAME_LENGTH} characters, without control characters.`);
  return name === "" ? undefined : name;
}

function readExpiry(value: unknown): string | null | Refusal {
  if (value === undefined || value === null) return null;
  const at = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) return refusal("expiresAt must be an ISO 8601 date or instant.");
  if (at <= Date.now()) return refusal("expiresAt is in the past.");
  return new Date(at).toISOString();
}

/** The key a body of POST …/:consumer/keys asks for. */
export function readNewKey(consumer: string, body: Record<string, unknown>): NewKey | Refusal {
  const { name, tier, scopes, metadata, expiresAt, ...rest } = body;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return refusal(`Unknown member "${unknown}": give name, tier, scopes, metadata or expiresAt.`);
  if (!isConsumerId(consumer)) return refusal("The consumer id must be 1 to 200 printable characters without spaces.");
  const keyName = readName(name);
  if (typeof keyName === "object") return keyName;
  if (tier !== undefined && (typeof tier !== "string" || !TIER.test(tier))) return refusal("tier must be 1 to 128 letters, digits and . _ : @ + -.");
  if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === "string" && SCOPE.test(scope)))) {
    return refusal('scopes must be an array of scopes, each without spaces, " or \\.');
  }
  if (metadata !== undefined && (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)))
    return refusal("metadata must be a JSON object.");
  if (metadata !== undefined && JSON.stringify(metadata).length > MAX_METADATA_BYTES)
    return refusal(`metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON.`);
  const expiry = readExpiry(expiresAt);
  if (typeof expiry === "object" && expiry !== null) return expiry;
  return {
    consumer,
    name: keyName,
    tier: tier as string | undefined,
    scopes: scopes === undefined ? [] : [...new Set(scopes as string[])],
    metadata: metadata as Record<string, unknown> | undefined,
    expiresAt: expiry,
  };
}

/** What a body of POST …/keys/rotate asks for: one key (keyId) or every working key, the old ones' grace, the new one's expiry. */
export function readRotation(body: Record<string, unknown>): { keyId?: string; graceMs: number; expiresAt: string | null } | Refusal {
  const { keyId, graceSeconds, expiresAt, ...rest } = body;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return refusal(`Unknown member "${unknown}": give keyId, graceSeconds or expiresAt.`);
  if (keyId !== undefined && !isKeyId(keyId)) return refusal("keyId must be a key's 64-digit hex id.");
  const grace = graceSeconds ?? DEFAULT_GRACE_SECONDS;
  if (typeof grace !== "number" || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
    return refusal(`graceSeconds must be a whole number from 0 to ${MAX_GRACE_SECONDS} (90 days).`);
  }
  const expiry = readExpiry(expiresAt);
  if (typeof expiry === "object" && expiry !== null) return expiry;
  return { keyId: keyId as string | undefined, graceMs: grace * 1000, expiresAt: expiry };
}
