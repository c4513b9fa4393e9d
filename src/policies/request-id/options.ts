/** Options of the `request-id` policy. */
export const options = {
  type: "object",
  properties: {
    header: {
      type: "string",
      description: "The header that carries the request id, in and out.",
      default: "X-Request-Id",
      pattern: "^[A-Za-z0-9-]+$",
    },
  },
  additionalProperties: false,
} as const;
