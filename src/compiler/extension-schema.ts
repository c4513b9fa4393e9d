/**
 * @module
 * JSON Schema of the `x-portico` extension, at the three places it may stand:
 * the document root, an operation, and a security scheme.
 */

const policyRef = {
  description: "A named instance from x-portico.policies, a built-in name, a ./policies/ module, or { use, options }.",
  oneOf: [
    { type: "string", minLength: 1 },
    {
      type: "object",
      properties: {
        use: { type: "string", minLength: 1, description: "A built-in name or a module path such as ./policies/x.ts." },
        options: { type: "object", description: "Checked against the policy's own options schema." },
      },
      required: ["use"],
      additionalProperties: false,
    },
  ],
} as const;

const policyList = { type: "array", items: policyRef } as const;

export const rootExtensionSchema = {
  $id: "portico:x-portico/root",
  type: "object",
  properties: {
    upstream: { type: "string", minLength: 1, description: "Default base URL of the forward handler." },
    inbound: { ...policyList, description: "Runs before every operation's own inbound policies." },
    outbound: { ...policyList, description: "Runs after every operation's own outbound policies." },
    handler: { ...policyRef, description: "The handler of operations that name none." },
    policies: {
      type: "object",
      description: "Named, reusable policy instances.",
      propertyNames: { pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" },
      additionalProperties: {
        type: "object",
        properties: { use: { type: "string", minLength: 1 }, options: { type: "object" } },
        required: ["use"],
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

export const operationExtensionSchema = {
  $id: "portico:x-portico/operation",
  type: "object",
  properties: {
    handler: { ...policyRef, description: "What answers the request: forward, mock, redirect or a module." },
    inbound: { ...policyList, description: "The operation's own inbound policies: after the gateway's and authentication, before validation." },
    outbound: { ...policyList, description: "The operation's own outbound policies: before the gateway's." },
    validate: {
      description: "Request validation derived from the spec: on by default; false turns it off; { maxBodyBytes } sets how large a body it reads (default 1 MiB).",
      oneOf: [
        { type: "boolean" },
        { type: "object", properties: { maxBodyBytes: { type: "integer", minimum: 1, description: "Largest body read to be validated; larger ones get 413." } }, additionalProperties: false },
      ],
    },
  },
  additionalProperties: false,
} as const;

export const securitySchemeExtensionSchema = {
  $id: "portico:x-portico/security-scheme",
  type: "object",
  properties: {
    jwks: { type: "string", minLength: 1, description: "URL of the JSON Web Key Set that signs bearer tokens (http bearer, oauth2)." },
    keys: { type: "string", minLength: 1, description: "Static verification keys instead of a JWKS URL: a JWKS as JSON text or an SPKI PEM public key, usually ${env.NAME}." },
    discovery: { type: "string", minLength: 1, description: "OpenID Connect discovery URL; openIdConnect schemes use their openIdConnectUrl." },
    issuer: { type: "string", minLength: 1, description: "Required `iss` of tokens." },
    audience: { description: "Required `aud` of tokens (one of them, when several).", oneOf: [{ type: "string", minLength: 1 }, { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 }] },
    algorithms: { type: "array", items: { enum: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519", "HS256", "HS384", "HS512"] }, minItems: 1, uniqueItems: true, description: "Accepted signing algorithms; the token's own alg header is never trusted. Default [RS256]." },
    typ: { type: "string", minLength: 1, description: "Required `typ` header, e.g. at+jwt (RFC 9068) to refuse ID tokens." },
    clockSkew: { type: "integer", minimum: 0, maximum: 60, default: 30, description: "Seconds of clock skew allowed on exp and nbf." },
    cooldown: { type: "integer", minimum: 1, maximum: 3600, default: 30, description: "Minimum seconds between JWKS refetches caused by an unknown key id." },
    consumerClaim: { type: "string", minLength: 1, default: "sub", description: "The claim that names the consumer." },
    tierClaim: { type: "string", minLength: 1, description: "The claim that names the consumer's tier (used by rate limits)." },
    binding: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$", default: "CONSUMERS", description: "KV namespace binding holding consumers (apiKey and http basic schemes)." },
    forwardCredentials: { type: "boolean", default: false, description: "Send the credential on to the upstream. Off by default: the upstream gets X-Consumer-Id instead." },
  },
  additionalProperties: false,
} as const;
