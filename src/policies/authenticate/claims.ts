/**
 * @module
 * The consumer a token proves, read from its claims: a verified JWT's payload
 * or an RFC 7662 introspection answer (which uses the same claim names).
 */
import type { Consumer } from "../../runtime/types.ts";

/** Longer tokens are refused unread: real access tokens are a few KB. */
export const MAX_TOKEN_LENGTH = 8192;

/** The token was checked and is not acceptable (any reason: the answer is the same 401). */
export class InvalidTokenError extends Error {
  override name = "InvalidTokenError";
}

/** The consumer's id, tier and scopes travel upstream as header values: no control characters. */
const isHeaderSafe = (value: unknown): value is string => typeof value === "string" && value !== "" && !/[\u0000-\u001f\u007f]/.test(value);

/** `scope` is space-separated (RFC 6749 §3.3, RFC 7662 §2.2); some issuers send an `scp` array instead. */
function scopesOf(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === "string") return raw.split(" ").filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((scope): scope is string => typeof scope === "string");
  return [];
}

/** Where a scheme reads its consumer in claims, and what it puts before the id. */
export interface ClaimNames {
  consumerClaim: string;
  consumerPrefix: string;
  tierClaim?: string;
}

/**
 * The consumer named by `consumerClaim`, its id behind `consumerPrefix` (so a
 * token's sub is never an API-key consumer's id), with scopes and the tier
 * `tierClaim` names; throws InvalidTokenError.
 */
export function consumerOfClaims(claims: Record<string, unknown>, { consumerClaim, consumerPrefix, tierClaim }: ClaimNames): Consumer {
  const subject = claims[consumerClaim];
  if (!isHeaderSafe(subject)) throw new InvalidTokenError(`no usable ${consumerClaim} claim`);
  const id = consumerPrefix + subject;
  const tier = tierClaim ? claims[tierClaim] : undefined;
  if (tier !== undefined && !isHeaderSafe(tier)) throw new InvalidTokenError(`unusable ${tierClaim} claim`);
  return { id, scopes: scopesOf(claims).filter(isHeaderSafe), tier, metadata: { claims } };
}
