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

/** Whether a media type is an RFC 9457 problem (application/problem+json, parameters allowed). */
export const isProblemMediaType = (type: string): boolean => /^\s*application\/problem\+json\s*(;|$)/i.test(type);

/** The members of a problem example that belong to the request it answers, not to the document. */
export const REQUEST_MEMBERS = ["requestId", "instance"] as const;
export type RequestMember = (typeof REQUEST_MEMBERS)[number];

/** One ready answer of a response. */
export interface MockExample {
  name: string;
  value: unknown;
  /**
   * Problem answers only: the members of `value` to fill from the request
   * (`requestId` from ctx.requestId, `instance` from the request's path),
   * listed only when the example has them.
   */
  fromRequest?: RequestMember[];
}

/** One declared response, with its examples worked out at build time. */
export interface MockResponse {
  status: number;
  /** The declared key, e.g. "200", "4XX" or "default". */
  key: string;
  contentType?: string;
  /** Named examples in declaration order; a generated one is named "generated". */
  examples: MockExample[];
}

/** What the build prepares for an operation's mock: its declared responses, examples worked out. */
export interface MockPrepared {
  responses: MockResponse[];
}

export type MockOptions = FromSchema<typeof options>;
