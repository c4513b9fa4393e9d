/**
 * @module
 * What the compiler derives from `components.securitySchemes` and `security`
 * for one operation. Not written by users: the OpenAPI document is the source.
 */

/** Where a credential came from, so it can be hidden from the upstream. */
export type CredentialPlace = { in: "header" | "query" | "cookie"; name: string };

interface SchemeBase {
  /** Let the credential through to the upstream (off by default, like Kong's hide_credentials). */
  forwardCredentials?: boolean;
}

export interface ApiKeyScheme extends SchemeBase {
  type: "apiKey";
  in: "header" | "query" | "cookie";
  name: string;
  /** KV binding holding consumers, keyed by the SHA-256 of the key. */
  binding: string;
}

export interface BasicScheme extends SchemeBase {
  type: "basic";
  binding: string;
}

/** Consumers' API keys sent as `Authorization: Bearer <key>` (`credential: apiKey` on http bearer). */
export interface BearerKeyScheme extends SchemeBase {
  type: "bearerKey";
  binding: string;
}

export interface JwtScheme extends SchemeBase {
  type: "jwt";
  /** JWKS URL; or found through `discovery`. */
  jwks?: string;
  /** OpenID Connect discovery document (openIdConnectUrl). */
  discovery?: string;
  /** Static keys: a JWKS (JSON text) or one SPKI PEM public key, usually `${env.X}`. */
  keys?: string;
  issuer?: string;
  audience?: string | string[];
  /** Pinned algorithms; the token's `alg` header is checked against these, never trusted. */
  algorithms: string[];
  /** Required `typ` header (e.g. `at+jwt`), compared case-insensitively without `application/`. */
  typ?: string;
  /** Allowed clock skew for exp / nbf, seconds. */
  clockSkew: number;
  /** Seconds between JWKS refetches triggered by an unknown `kid`. */
  cooldown: number;
  /** Claim naming the consumer (default `sub`). */
  consumerClaim: string;
  /** Put before the claim's value in the consumer id (default `<scheme name>:`). */
  consumerPrefix: string;
  /** Claim naming the consumer's tier, if any. */
  tierClaim?: string;
}

/** Opaque OAuth2 tokens checked by RFC 7662 token introspection (`credential: introspection`). */
export interface IntrospectionScheme extends SchemeBase {
  type: "introspection";
  /** The introspection endpoint. */
  url: string;
  /** The gateway's own client credentials at the endpoint (HTTP basic, RFC 6749 §2.3.1). */
  clientId: string;
  clientSecret: string;
  /** Milliseconds to wait for the endpoint's answer before refusing with 503. */
  timeout: number;
  /** Required `iss` and `aud` of the introspection answer, when set. */
  issuer?: string;
  audience?: string | string[];
  /** Member of the answer naming the consumer (default `sub`). */
  consumerClaim: string;
  /** Put before the member's value in the consumer id (default `<scheme name>:`). */
  consumerPrefix: string;
  /** Member of the answer naming the consumer's tier, if any. */
  tierClaim?: string;
}

/** A scheme the gateway cannot check (no keys configured, or a kind it does not support): it never passes. */
export interface UnusableScheme extends SchemeBase {
  type: "unusable";
  /** The auth-scheme named in WWW-Authenticate, e.g. Bearer or Digest. */
  challenge: string;
}

export type SchemePlan = ApiKeyScheme | BasicScheme | BearerKeyScheme | JwtScheme | IntrospectionScheme | UnusableScheme;

/** One alternative of `security`: every scheme in it must pass (AND), with its scopes. */
export type Requirement = Array<{ scheme: string; scopes: string[] }>;

export interface AuthenticateOptions {
  /** OR of alternatives. An empty alternative means anonymous calls are allowed. Empty list: public. */
  requirements: Requirement[];
  schemes: Record<string, SchemePlan>;
  /** Realm in WWW-Authenticate challenges (the API's title). */
  realm: string;
}

/** Headers the gateway sets for the upstream; a client's own copies are always dropped. */
export const CONSUMER_HEADERS = {
  id: "x-consumer-id",
  tier: "x-consumer-tier",
  scopes: "x-consumer-scopes",
} as const;
