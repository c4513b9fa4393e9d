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
    inbound: policyList,
    outbound: policyList,
    validate: { type: "boolean", description: "Request validation derived from the spec; on by default." },
  },
  additionalProperties: false,
} as const;

export const securitySchemeExtensionSchema = {
  $id: "portico:x-portico/security-scheme",
  type: "object",
  properties: {
    jwks: { type: "string" },
    issuer: { type: "string" },
    audience: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    algorithms: { type: "array", items: { type: "string" }, minItems: 1 },
  },
  additionalProperties: true,
} as const;
