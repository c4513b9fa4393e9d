import { describeBuiltin } from "../../builtin-descriptor.ts";
import type { ValidateRequestPrepared } from "./validate-request.ts";

/** Its rules are worked out by the compiler from parameters and requestBody (compiler/plan/validation.ts), never written. */
const options = { type: "object" } as const;

/** The `validate` key, at the document root (every operation's default) and on an operation (its own). */
const validateSetting = {
  description:
    "Request validation derived from the spec: on by default; false turns it off; { mode: report } lets requests that break the description through and logs what would have been refused; { maxBodyBytes } sets how large a body it reads (default 1 MiB); { maxStringLength } how long a string a pattern is matched against (default 16384); { form: { maxDepth, maxKeys, maxIndex } } bounds how form and multipart bodies are read (defaults 32, 1000, 1000). At the document root it is every operation's default; an operation's own keys win.",
  oneOf: [
    { type: "boolean" },
    {
      type: "object",
      properties: {
        mode: {
          enum: ["enforce", "report"],
          description:
            "enforce: a request that breaks the description gets a 400 (or 413, 415) problem. report: it goes on unchanged, and one log line (`request would be refused`, with a `validation` field) says what enforce would have answered.",
        },
        maxBodyBytes: { type: "integer", minimum: 1, description: "Largest body read to be validated; larger ones get 413." },
        maxStringLength: {
          type: "integer",
          minimum: 1,
          description:
            "Longest string (or member name) a `pattern` or `patternProperties` key is matched against, in UTF-16 code units; a longer one gets a 400 naming it, unmatched. Other strings are not bounded by it. Default 16384.",
        },
        form: {
          type: "object",
          description: "Bounds on reading form-urlencoded and multipart bodies; a body beyond them gets a 400 naming the field.",
          properties: {
            maxDepth: {
              type: "integer",
              minimum: 1,
              maximum: 256,
              description: "Bracket levels one field name may have: a[b][c] has two. Default 32.",
            },
            maxKeys: {
              type: "integer",
              minimum: 1,
              maximum: 100_000,
              description: "Fields (or parts) one body may have. Default 1000.",
            },
            maxIndex: {
              type: "integer",
              minimum: 0,
              maximum: 100_000,
              description: "Largest array index read: a[1000] is the 1,001st item. Default 1000.",
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  ],
} as const;

export default describeBuiltin<Record<string, never>, ValidateRequestPrepared>({
  name: "validate-request",
  kind: "policy",
  summary: "Request validation derived from the operation's parameters and requestBody: every violation listed in one 400 problem.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound"],
  derived: true,
  extension: { root: { validate: validateSetting }, operation: { validate: validateSetting } },
});
