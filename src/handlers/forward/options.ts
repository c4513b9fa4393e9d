import type { FromSchema } from "json-schema-to-ts";

/** Options of the `forward` handler. */
export const options = {
  type: "object",
  properties: {
    url: {
      type: "string",
      description:
        "Upstream URL template. `${env.NAME}` reads a Worker var; `${params.name}` inserts a path parameter, percent-encoded. Defaults to x-portico.upstream followed by the operation's path.",
      minLength: 1,
    },
    timeout: {
      type: "integer",
      description: "Milliseconds to wait for the upstream's response headers before answering 504.",
      minimum: 1,
      maximum: 300000,
      default: 30000,
    },
  },
  additionalProperties: false,
} as const;

export type ForwardOptions = FromSchema<typeof options>;
