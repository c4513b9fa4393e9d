/**
 * @module
 * GET /_portico/quota/<consumer id>, read by `portico quota show`: the
 * consumer's usage of every quota in the route table. Quotas live in Durable
 * Objects, which no wrangler command can read, so the gateway answers for
 * them, through its admin routes (open only to PORTICO_ADMIN_TOKEN).
 */
import type { QuotaReading } from "./quota-counter.ts";
import { counterOf, labelOf, periodOf, type QuotaSettings } from "./counter.ts";
import { anchorOfPeriod, periodAt, type Period } from "./periods.ts";

export interface QuotaEntry {
  policy: string;
  period: string;
  /** Null while unknown: a tiered quota the consumer has not used yet, or a counter that cannot be read. */
  limit: number | null;
  used: number | null;
  remaining: number | null;
  /** ISO instants; null for an anchored quota the consumer has not used yet (its anchor is not known here). */
  periodStart: string | null;
  resetAt: string | null;
  error?: string;
}

function entry(settings: QuotaSettings, limit: number | null, used: number | null, period: Period | undefined, error?: string): QuotaEntry {
  const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());
  const remaining = limit === null || used === null ? null : Math.max(0, limit - used);
  return {
    policy: labelOf(settings),
    period: periodOf(settings),
    limit,
    used,
    remaining,
    periodStart: iso(period?.start),
    resetAt: iso(period?.end),
    ...(error ? { error } : {}),
  };
}

async function usageOf(settings: QuotaSettings, consumerId: string, env: Record<string, unknown>, now: number): Promise<QuotaEntry> {
  const kind = periodOf(settings);
  // An anchored quota's period depends on the consumer's record, which is not at hand: the counter's own is used.
  const calendar = settings.anchor === undefined ? periodAt(now, kind) : undefined;
  let reading: QuotaReading | undefined;
  try {
    const counter = counterOf(env, settings, consumerId);
    reading = calendar ? await counter.read(calendar.start, calendar.end) : await counter.read();
  } catch (error) {
    return entry(settings, null, null, calendar, `The counter cannot be read: ${(error as Error).message ?? String(error)}`);
  }
  if (!reading) return entry(settings, settings.tiers ? null : settings.limit, 0, calendar);
  const recorded = { start: reading.periodStart, end: reading.resetAt };
  if (recorded.end > now) return entry(settings, reading.limit, reading.used, recorded);
  return entry(settings, reading.limit, 0, periodAt(now, kind, anchorOfPeriod(kind, recorded)));
}

/** The consumer's usage of each quota instance, once each. */
export async function answerUsage(consumerId: string, env: Record<string, unknown>, instances: readonly QuotaSettings[]): Promise<Response> {
  const now = Date.now();
  const seen = new Set<string>();
  const unique = instances.filter((settings) => !seen.has(settings.instance) && seen.add(settings.instance));
  const quotas = await Promise.all(unique.map((settings) => usageOf(settings, consumerId, env, now)));
  return Response.json({ consumer: consumerId, quotas }, { headers: { "cache-control": "no-store" } });
}
