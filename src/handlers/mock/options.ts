import type { FromSchema } from "json-schema-to-ts";

/** Options of the `mock` handler. Its answers come from the operation's own responses. */
export const options = {
  type: "object",
  properties: {
    status: {
      type: "integer",
      description: "The status to answer with when the caller sends no `Prefer: code=`. Defaults to the lowest 2xx the operation declares.",
      minimum: 100,
      maximum: 599,
    },
  },
  additionalProperties: false,
} as const;

/** Whether a media type is JSON (application/json, application/problem+json, ...). */
export const isJsonMediaType = (type: string): boolean => /[/+]json\b/.test(type);

/** One declared response, with its examples worked out at build time. */
export interface MockResponse {
  status: number;
  /** The declared key, e.g. "200", "4XX" or "default". */
  key: string;
  contentType?: string;
  /** Named examples in declaration order; a generated one is named "generated". */
  examples: Array<{ name: string; value: unknown }>;
}

/** What the build prepares for an operation's mock: its declared responses, examples worked out. */
export interface MockPrepared {
  responses: MockResponse[];
}

export type MockOptions = FromSchema<typeof options>;
