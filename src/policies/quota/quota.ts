/**
 * @module
 * quota: counts each consumer's requests per day, week or month in a
 * QuotaCounter Durable Object (one object per quota instance and consumer)
 * and refuses with 429 until the period ends once the limit is used.
 * Requests without a consumer pass uncounted. Every counted response carries
 * the IETF RateLimit headers, beside rate-limit's items.
 */
import { defineBuiltin } from "../../runtime/builtin.ts";
import { addResponseHeader } from "../../runtime/context.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { askCounter } from "../../runtime/ask-counter.ts";
import { measured } from "../../runtime/telemetry/request-telemetry.ts";
import { answerUsage } from "./admin.ts";
import { anchorOf, counterOf, labelOf, limitOf, periodOf, type QuotaSettings } from "./counter.ts";
import type { QuotaOptions, QuotaPrepared } from "./options.ts";
import { periodAt } from "./periods.ts";

const PERIOD_ADJECTIVE = { day: "daily", week: "weekly", month: "monthly" } as const;

const secondsUntil = (at: number, now: number) => Math.max(0, Math.ceil((at - now) / 1000));

export const quota = defineBuiltin<QuotaOptions, QuotaPrepared>({
  create({ options, prepared }) {
    // Its own copy (tiers included): what a request reads was settled at set-up.
    const settings: QuotaSettings = { ...structuredClone(options), ...prepared };
    return { inbound: (request, ctx) => count(request, ctx, settings) };
  },
  admin: [
    {
      path: "/:consumer",
      answer: (_request, params, env, instances) =>
        answerUsage(
          params.consumer,
          env,
          instances.map(({ options, prepared }) => ({ ...options, ...prepared })),
        ),
    },
  ],
});

async function count(request: Request, ctx: GatewayContext, settings: QuotaSettings): Promise<Request> {
  const consumer = ctx.consumer;
  if (!consumer) return request;
  const label = labelOf(settings);
  const limit = limitOf(settings, consumer.tier);
  const kind = periodOf(settings);
  const period = periodAt(Date.now(), kind, anchorOf(settings, consumer));
  addResponseHeader(ctx, "ratelimit-policy", `"${label}";q=${limit};w=${(period.end - period.start) / 1000}`);
  const usage = await askCounter(
    (ask) => measured(ctx, "quota counter", "client", () => counterOf(ctx.env, settings, consumer.id).consume(limit, period.start, period.end, ask)),
    ctx,
    "quota counter",
  );
  if (!usage) {
    if (settings.failMode === "open") return request;
    throw new GatewayError(PROBLEM.serviceUnavailable, "The quota counter cannot answer right now. Retry shortly.", { "retry-after": "1" });
  }
  const reset = secondsUntil(usage.resetAt, Date.now());
  addResponseHeader(ctx, "ratelimit", `"${label}";r=${usage.remaining};t=${reset}`);
  if (usage.allowed) return request;
  const resetAt = new Date(usage.resetAt).toISOString();
  throw new GatewayError(
    PROBLEM.tooManyRequests,
    `The ${PERIOD_ADJECTIVE[kind]} quota of ${usage.limit} requests is used up. It starts over at ${resetAt}, in ${reset} s.`,
    {
      "retry-after": String(Math.max(1, reset)),
    },
  );
}
