import { describeBuiltin } from "../../compiler/descriptor.ts";
import type { ValidateRequestPrepared } from "./validate-request.ts";

/** Its rules are worked out by the compiler from parameters and requestBody (compiler/plan/validation.ts), never written. */
const options = { type: "object" } as const;

export default describeBuiltin<Record<string, never>, ValidateRequestPrepared>({
  name: "validate-request",
  kind: "policy",
  summary: "Request validation derived from the operation's parameters and requestBody: every violation listed in one 400 problem.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound"],
  derived: true,
  extension: {
    operation: {
      validate: {
        description: "Request validation derived from the spec: on by default; false turns it off; { maxBodyBytes } sets how large a body it reads (default 1 MiB).",
        oneOf: [
          { type: "boolean" },
          { type: "object", properties: { maxBodyBytes: { type: "integer", minimum: 1, description: "Largest body read to be validated; larger ones get 413." } }, additionalProperties: false },
        ],
      },
    },
  },
});
