/** Options of the `set-headers` policy. */
export const options = {
  type: "object",
  properties: {
    headers: {
      type: "object",
      description:
        "Header names and values to set: on the request when listed in inbound, on the response when listed in outbound. Values may use ${env.NAME}.",
      propertyNames: { pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
      additionalProperties: { type: "string" },
      minProperties: 1,
    },
    overwrite: {
      type: "boolean",
      description: "Replace a header that is already there; when false, only add missing ones.",
      default: true,
    },
  },
  required: ["headers"],
  additionalProperties: false,
} as const;
