/** Options of the `remove-headers` policy. */
export const options = {
  type: "object",
  properties: {
    headers: {
      type: "array",
      description: "Header names to remove (case-insensitive): from the request when listed in inbound, from the response when listed in outbound.",
      items: { type: "string", pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
      minItems: 1,
    },
  },
  required: ["headers"],
  additionalProperties: false,
} as const;
