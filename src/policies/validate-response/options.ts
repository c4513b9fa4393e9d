import type { FromSchema } from "json-schema-to-ts";
import type { Validator } from "../../runtime/validation/violations.ts";

/** Options of the `validate-response` policy. */
export const options = {
  type: "object",
  properties: {
    mode: {
      enum: ["report", "log", "enforce"],
      default: "report",
      description:
        "report: a response that breaks the operation's declared responses is logged and passed on (log is its older name). enforce: it is replaced by a 502 problem, so clients never see an upstream's broken contract.",
    },
    maxBodyBytes: {
      type: "integer",
      minimum: 1,
      default: 1048576,
      description: "Larger JSON responses are passed on unchecked (and logged), so a big download is never buffered.",
    },
  },
  additionalProperties: false,
} as const;

/** What the build works out from the operation's responses: status key → media type → its body's validator. */
export interface ResponseRules {
  responses: Record<string, Record<string, Validator | null>>;
}

export type ValidateResponseOptions = FromSchema<typeof options>;
