import type { FromSchema } from "json-schema-to-ts";
import { counterBinding, counterFailMode } from "../counter-options.ts";

const budget = {
  tokens: { type: "integer", minimum: 1, maximum: 1000000000, description: "Tokens (prompt and completion together) admitted per window." },
  window: { type: "integer", minimum: 1, maximum: 31536000, description: "The window, in seconds (3600 = per hour, 86400 = per day)." },
} as const;

/** Options of the `token-limit` policy. */
export const options = {
  type: "object",
  properties: {
    ...budget,
    window: { ...budget.window, default: 3600 },
    by: {
      enum: ["consumer", "ip", "all"],
      default: "consumer",
      description:
        "Whose tokens are counted together: the consumer set by authentication (callers without one are counted by address, under the `anonymous` tier), the connecting address, or all callers together.",
    },
    tiers: {
      type: "object",
      description:
        "Budgets per consumer tier (`ctx.consumer.tier`), each `{ tokens, window? }`; `anonymous` applies to callers without a consumer. A tier not listed gets `tokens`.",
      additionalProperties: { type: "object", properties: budget, required: ["tokens"], additionalProperties: false },
    },
    failMode: counterFailMode,
    binding: counterBinding("TOKEN_LIMIT", "TokenCounter"),
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9_.-]{1,32}$",
      description: "The policy name shown in the RateLimit headers (default: the policy's own name).",
    },
  },
  required: ["tokens"],
  additionalProperties: false,
} as const;

/** What the build adds: the instance identity the counters are named by, and the label. */
export interface TokenLimitPrepared {
  instance: string;
  name: string;
}

export type TokenLimitOptions = FromSchema<typeof options>;
