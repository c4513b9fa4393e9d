/**
 * @module
 * JSON Schema of the `x-portico` extension, at the three places it may stand:
 * the document root, an operation, and a security scheme. The pipeline's own
 * keys are here; every other key is owned by the built-in whose descriptor
 * declares it, so an unknown or misspelt key fails the build.
 */
import type { ExtensionKeys } from "../../builtin-descriptor.ts";
import { mcpOperationSchema, mcpRootSchema } from "../../mcp/options.ts";
import { telemetrySchema } from "../plan/telemetry.ts";
import { BUILTINS } from "../registry.ts";

/** Every built-in's keys at one place. */
function ownedKeys(place: keyof ExtensionKeys): Record<string, object> {
  return Object.assign({}, ...[...BUILTINS.values()].map((builtin) => builtin.extension?.[place] ?? {}));
}

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
    ...ownedKeys("root"),
    inbound: { ...policyList, description: "Runs before every operation's own inbound policies." },
    outbound: { ...policyList, description: "Runs after every operation's own outbound policies." },
    handler: { ...policyRef, description: "The handler of operations that name none." },
    telemetry: telemetrySchema,
    mcp: mcpRootSchema,
    problems: {
      type: "object",
      description: "The gateway's own error answers (RFC 9457 problems).",
      properties: {
        base: {
          type: "string",
          pattern: "^(about:blank|https?://[^#\\s]+|/[^#\\s]*)$",
          description:
            "The page their `type` URIs point at, each type an anchor of it (`/docs/errors#validation`): an absolute URL, a path on the gateway, or about:blank (the title is then the HTTP status phrase). Default: the portal's errors page, or about:blank without a portal.",
        },
      },
      additionalProperties: false,
    },
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
    handler: { ...policyRef, description: "What answers the request: forward, mock, redirect, aggregate or a module." },
    inbound: { ...policyList, description: "The operation's own inbound policies: after the gateway's and authentication, before validation." },
    outbound: { ...policyList, description: "The operation's own outbound policies: before the gateway's." },
    mcp: mcpOperationSchema,
    ...ownedKeys("operation"),
  },
  additionalProperties: false,
} as const;

export const securitySchemeExtensionSchema = {
  $id: "portico:x-portico/security-scheme",
  type: "object",
  properties: ownedKeys("securityScheme"),
  additionalProperties: false,
} as const;
