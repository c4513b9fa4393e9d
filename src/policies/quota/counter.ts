/**
 * @module
 * The quota counter of one consumer under one quota instance, and the limit
 * and period that apply to it.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { Consumer } from "../../runtime/types.ts";
import type { options, QuotaPrepared } from "./options.ts";
import { durableStub } from "../../runtime/ask-counter.ts";
import { parseAnchor, type PeriodKind } from "./periods.ts";
import type { QuotaCounter } from "./quota-counter.ts";

export type QuotaSettings = FromSchema<typeof options> & QuotaPrepared;

export function counterOf(env: Record<string, unknown>, settings: QuotaSettings, consumerId: string): DurableObjectStub<QuotaCounter> {
  return durableStub<QuotaCounter>(env, settings.binding, `${settings.instance}\u0000${consumerId}`);
}

export const periodOf = (settings: QuotaSettings): PeriodKind => settings.period;

export const labelOf = (settings: QuotaSettings): string => settings.name;

export function limitOf(settings: QuotaSettings, tier: string | undefined): number {
  const tiers = settings.tiers ?? {};
  return tier !== undefined && Object.hasOwn(tiers, tier) ? tiers[tier].limit : settings.limit;
}

/** The consumer's anchor instant, when the quota has an anchor field and the consumer a date in it. */
export function anchorOf(settings: QuotaSettings, consumer: Consumer): number | undefined {
  return settings.anchor === undefined ? undefined : parseAnchor(consumer.metadata[settings.anchor]);
}
