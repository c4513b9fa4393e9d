import type { FromSchema } from "json-schema-to-ts";
import { counterBinding, counterFailMode } from "../counter-options.ts";

const limit = {
  type: "integer",
  minimum: 1,
  description:
    "Requests admitted per consumer per period. Only requests with a consumer (set by authentication) are counted: anonymous ones pass uncounted, so list rate-limit with `by: ip` for them.",
} as const;

/** Options of the `quota` policy. */
export const options = {
  type: "object",
  properties: {
    limit,
    period: {
      enum: ["day", "week", "month"],
      default: "month",
      description:
        "The period the count starts over after, in UTC: a day from midnight, an ISO week from Monday 00:00, a month from the 1st 00:00 (or from the consumer's `anchor`).",
    },
    tiers: {
      type: "object",
      description: "Limits per consumer tier (`ctx.consumer.tier`); a tier not listed gets `limit`.",
      additionalProperties: {
        type: "object",
        properties: { limit },
        required: ["limit"],
        additionalProperties: false,
      },
    },
    anchor: {
      type: "string",
      pattern: "^[A-Za-z0-9_.:-]{1,64}$",
      description:
        "A field of the consumer's metadata holding an ISO date (such as its sign-up date): its periods then start at that date's time of day, weekday or day of the month instead of the calendar boundary. An anchor on the 29th to 31st starts shorter months on their last day. A consumer without a date there gets the calendar periods.",
    },
    failMode: counterFailMode,
    binding: counterBinding("QUOTA", "QuotaCounter"),
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9_.-]{1,32}$",
      description: "The policy name shown in the RateLimit headers and by `portico quota show` (default: the policy's own name).",
    },
  },
  required: ["limit"],
  additionalProperties: false,
} as const;

/** What the build adds: the instance identity the counters are named by, and the label. */
export interface QuotaPrepared {
  instance: string;
  name: string;
}

export type QuotaOptions = FromSchema<typeof options>;
