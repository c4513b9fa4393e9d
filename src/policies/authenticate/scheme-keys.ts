/**
 * @module
 * The x-portico keys of a security scheme, which authentication reads: where
 * a bearer token's keys come from and what its claims must say, which kind of
 * credential the scheme takes, and where opaque tokens are introspected.
 */
export const securitySchemeKeys = {
  credential: {
    enum: ["jwt", "apiKey", "introspection"],
    description:
      "What the scheme's credential is. jwt: a signed token checked with jwks, keys or discovery (the default on http bearer, oauth2 and openIdConnect). apiKey: a consumer's API key; on http bearer it is read from Authorization: Bearer, with the same KV lookup as an apiKey scheme. introspection: an opaque token checked at an RFC 7662 introspection endpoint (http bearer and oauth2).",
  },
  introspection: {
    type: "object",
    description:
      "The RFC 7662 endpoint of a scheme with credential: introspection: url, and the gateway's own clientId and clientSecret there (all required; usually ${env.NAME}), and timeout (milliseconds, 100 to 10000, default 3000) after which the request gets 503.",
    properties: {
      url: { type: "string", minLength: 1, description: "The introspection endpoint." },
      clientId: { type: "string", minLength: 1, description: "The gateway's client id at the endpoint." },
      clientSecret: { type: "string", minLength: 1, description: "The gateway's client secret, usually ${env.NAME}." },
      timeout: { type: "integer", minimum: 100, maximum: 10000, default: 3000, description: "Milliseconds to wait for an answer before refusing with 503." },
    },
    additionalProperties: false,
  },
  jwks: { type: "string", minLength: 1, description: "URL of the JSON Web Key Set that signs bearer tokens (http bearer, oauth2)." },
  keys: {
    type: "string",
    minLength: 1,
    description: "Static verification keys instead of a JWKS URL: a JWKS as JSON text or an SPKI PEM public key, usually ${env.NAME}.",
  },
  discovery: { type: "string", minLength: 1, description: "OpenID Connect discovery URL; openIdConnect schemes use their openIdConnectUrl." },
  issuer: { type: "string", minLength: 1, description: "Required `iss` of tokens (with credential: introspection, of the endpoint's answers, when set)." },
  audience: {
    description:
      "Required `aud` of tokens, one of them when several (with credential: introspection, of the endpoint's answers, when set). false: the issuer's tokens carry no aud (Clerk's session tokens), so any token the issuer signs passes; only for an issuer of one application.",
    oneOf: [{ type: "string", minLength: 1 }, { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 }, { const: false }],
  },
  algorithms: {
    type: "array",
    items: { enum: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519", "HS256", "HS384", "HS512"] },
    minItems: 1,
    uniqueItems: true,
    description: "Accepted signing algorithms; the token's own alg header is never trusted. Default [RS256].",
  },
  typ: { type: "string", minLength: 1, description: "Required `typ` header, e.g. at+jwt (RFC 9068) to refuse ID tokens." },
  clockSkew: { type: "integer", minimum: 0, maximum: 60, default: 30, description: "Seconds of clock skew allowed on exp and nbf." },
  cooldown: { type: "integer", minimum: 1, maximum: 3600, default: 30, description: "Minimum seconds between JWKS refetches caused by an unknown key id." },
  consumerClaim: { type: "string", minLength: 1, default: "sub", description: "The claim (or introspection answer member) that names the consumer." },
  tierClaim: { type: "string", minLength: 1, description: "The claim that names the consumer's tier (used by rate limits)." },
  consumerPrefix: {
    type: "string",
    description:
      "Put before the id a token proves (`<scheme name>:` by default), so a token's sub can never be an API-key consumer's id, nor another issuer's; \"\" keeps the claim as it is.",
  },
  binding: {
    type: "string",
    pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
    default: "CONSUMERS",
    description: "KV namespace binding holding consumers (apiKey and http basic schemes, and credential: apiKey).",
  },
  forwardCredentials: {
    type: "boolean",
    default: false,
    description: "Send the credential on to the upstream. Off by default: the upstream gets X-Consumer-Id instead.",
  },
} as const;
