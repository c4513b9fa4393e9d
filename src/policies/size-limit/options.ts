/** Options of the `size-limit` policy. */
export const options = {
  type: "object",
  properties: {
    maxBytes: {
      type: "integer",
      description:
        "The largest request body accepted, in bytes. A larger Content-Length is refused with 413 before any of the body is read. A body sent without Content-Length (chunked) is read into memory up to this size before the request goes on (with its Content-Length then set), and refused with 413 as soon as one byte more arrives; either way the handler, and so the upstream, never sees a body over the limit. Bodies with a Content-Length within the limit stream through untouched.",
      minimum: 0,
    },
    requireContentLength: {
      type: "boolean",
      description:
        "Refuse a body sent without Content-Length instead of reading it into memory: for large limits, where holding up to maxBytes per request would cost too much memory.",
      default: false,
    },
    maxUrlLength: {
      type: "integer",
      description: "The longest request target accepted (path and query, as sent, percent-encoded), in bytes.",
      minimum: 1,
    },
    maxHeaderBytes: {
      type: "integer",
      description:
        "The most header bytes accepted: the sum over the request's headers of name, value and 4 bytes (`: ` and the line end), as on an HTTP/1.1 wire. Headers the Cloudflare edge adds (CF-Connecting-IP, CF-Ray, ...) count too: leave room for them.",
      minimum: 1,
    },
  },
  required: ["maxBytes"],
  additionalProperties: false,
} as const;
