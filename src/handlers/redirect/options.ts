/** Options of the `redirect` handler. */
export const options = {
  type: "object",
  properties: {
    location: {
      type: "string",
      description: "Where to send the caller. May use ${env.NAME} and ${params.name} (percent-encoded).",
      minLength: 1,
    },
    status: {
      type: "integer",
      description: "The redirect status.",
      enum: [301, 302, 303, 307, 308],
      default: 302,
    },
    keepQuery: {
      type: "boolean",
      description: "Append the caller's query string to the location.",
      default: false,
    },
  },
  required: ["location"],
  additionalProperties: false,
} as const;
