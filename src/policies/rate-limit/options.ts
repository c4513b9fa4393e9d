import type { FromSchema } from "json-schema-to-ts";

/** A limit: requests per window. */
const limitFields = {
  limit: { type: "integer", minimum: 1, maximum: 1000000000, description: "Requests admitted per window." },
  window: { type: "integer", minimum: 1, maximum: 31536000, description: "The window, in seconds (60 = per minute, 3600 = per hour)." },
} as const;

/** A binding name, as wrangler.toml gives it. */
const bindingName = { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" } as const;

/** Options of the `rate-limit` policy. */
export const options = {
  type: "object",
  properties: {
    ...limitFields,
    window: { ...limitFields.window, default: 60 },
    by: {
      enum: ["ip", "consumer", "header", "all", "function"],
      default: "ip",
      description:
        "What is counted: the connecting address (CF-Connecting-IP, never a client header), the consumer set by authentication (callers without one are counted by address, under the `anonymous` tier), the value of `header`, all requests together, or the key a `function` module returns.",
    },
    header: {
      type: "string",
      pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
      description: "The header counted by, with `by: header`. Requests without it are counted together.",
    },
    function: {
      type: "string",
      pattern: "^\\./.+\\.(ts|js|mts|mjs)$",
      description:
        "With `by: function`: a module in policies/ whose default export is `(request, ctx) => key` — a string, `{ key, limit?, window? }`, or undefined to leave the request unlimited.",
    },
    tiers: {
      type: "object",
      description:
        "Limits per consumer tier (`ctx.consumer.tier`), each `{ limit, window?, binding? }` (`binding`: with `mode: approximate`, the tier's own); `anonymous` applies to callers without a consumer. A tier not listed gets `limit`.",
      additionalProperties: {
        type: "object",
        properties: {
          ...limitFields,
          binding: {
            ...bindingName,
            description:
              "With `mode: approximate`: the tier's Workers Rate Limiting binding, whose limit and period in wrangler.toml are the tier's `limit` and `window` (default: the policy's `binding`).",
          },
        },
        required: ["limit"],
        additionalProperties: false,
      },
    },
    ipv6Aggregate: {
      type: "integer",
      minimum: 0,
      maximum: 65536,
      default: 8,
      description:
        "Counted by address, an IPv6 caller is one /64; its /48 is counted too, at this many times the limit, so a holder of a /48 who rotates through its 65,536 /64s gets at most this multiple. 0 turns it off.",
    },
    ipv4Aggregate: {
      type: "integer",
      minimum: 0,
      maximum: 256,
      default: 0,
      description: "Counted by address, also count an IPv4 caller's /24 at this many times the limit (0, the default: off).",
    },
    mode: {
      enum: ["strict", "async", "approximate"],
      default: "strict",
      description:
        "strict: the counter decides before the request goes on (exact; one Durable Object request per request). async: the isolate decides from its copy of the key's count and reports it in batches (a tenth of the limit, or a second), so each time a key fills it admits at most `limit` plus one batch per isolate serving it (one isolate alone: exactly `limit`) (see docs/rate-limits.md#modes). approximate: a Workers Rate Limiting binding counts per Cloudflare location, with no Durable Object; `window` must be 10 or 60.",
    },
    failMode: {
      enum: ["closed", "open"],
      default: "closed",
      description: "When the counter cannot answer: closed refuses with 503, open lets the request through and logs the failure.",
    },
    binding: {
      ...bindingName,
      default: "RATE_LIMITER",
      description:
        "strict and async: the Durable Object namespace binding of the RateLimiter class (wrangler.toml). approximate: the Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml) whose `simple` limit and period are `limit` and `window`.",
    },
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9_.-]{1,32}$",
      description: "The policy name shown in the RateLimit headers (default: the policy's own name).",
    },
  },
  required: ["limit"],
  additionalProperties: false,
  allOf: [
    { if: { properties: { by: { const: "header" } }, required: ["by"] }, then: { required: ["header"] } },
    { if: { properties: { by: { const: "function" } }, required: ["by"] }, then: { required: ["function"] } },
  ],
} as const;

/** What the build adds: the instance identity the counters are named by, and the key function module. */
export interface RateLimitPrepared {
  instance: string;
  /** The label of its RateLimit headers. */
  name: string;
  keyFunction?: (request: Request, ctx: unknown) => unknown;
}

export type RateLimitOptions = FromSchema<typeof options>;
