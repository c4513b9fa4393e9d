import type { FromSchema } from "json-schema-to-ts";

/** Options of the `usage` policy. */
export const options = {
  type: "object",
  properties: {
    binding: {
      type: "string",
      pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
      description:
        "The binding (wrangler.toml) usage is recorded in: an Analytics Engine dataset (`[[analytics_engine_datasets]]`, read with `portico usage --remote`) or a Durable Object namespace of the UsageLedger class (`[[durable_objects.bindings]]`, read through GET /_portico/usage). Which one is told by the binding itself, at run time.",
    },
  },
  required: ["binding"],
  additionalProperties: false,
} as const;

export type UsageOptions = FromSchema<typeof options>;
