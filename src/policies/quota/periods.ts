/**
 * @module
 * Quota periods in UTC: a day from midnight, an ISO week from Monday 00:00, a
 * month from the 1st 00:00 — or, for a consumer with an anchor date, from that
 * date's time of day, weekday or day of the month. An anchor on the 29th to
 * the 31st starts a shorter month on its last day, and the next month on the
 * anchor's own day again.
 */

export type PeriodKind = "day" | "week" | "month";

/** A half-open interval of instants (ms since the epoch): start ≤ t < end. */
export interface Period {
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday of the epoch (the 1st was a Thursday). */
const FIRST_MONDAY_MS = 4 * DAY_MS;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

const modulo = (value: number, divisor: number) => ((value % divisor) + divisor) % divisor;

/** The instant of an ISO date (`2026-01-15`, midnight UTC) or date-time with a zone; undefined for anything else. */
export function parseAnchor(value: unknown): number | undefined {
  const date = typeof value === "string" ? ISO_DATE.exec(value) : null;
  // Date.parse takes 2026-02-30 for March 2nd.
  if (!date || Number(date[3]) > daysInMonth(Number(date[1]), Number(date[2]) - 1)) return undefined;
  const at = Date.parse(value as string);
  return Number.isNaN(at) ? undefined : at;
}

/** A period of fixed length repeating from `origin`. */
function fixedPeriod(now: number, length: number, origin: number): Period {
  const start = now - modulo(now - origin, length);
  return { start, end: start + length };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Where the month `month` of `year` (either may overflow, as Date.UTC allows) begins for an anchor day and time of day. */
function monthBoundary(year: number, month: number, day: number, timeOfDay: number): number {
  return Date.UTC(year, month, Math.min(day, daysInMonth(year, month))) + timeOfDay;
}

/** The period that holds `now`. */
export function periodAt(now: number, kind: PeriodKind, anchor?: number): Period {
  if (kind === "day") return fixedPeriod(now, DAY_MS, anchor ?? 0);
  if (kind === "week") return fixedPeriod(now, WEEK_MS, anchor ?? FIRST_MONDAY_MS);
  const day = anchor === undefined ? 1 : new Date(anchor).getUTCDate();
  const timeOfDay = anchor === undefined ? 0 : modulo(anchor, DAY_MS);
  const today = new Date(now);
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth();
  const boundary = monthBoundary(year, month, day, timeOfDay);
  return now >= boundary
    ? { start: boundary, end: monthBoundary(year, month + 1, day, timeOfDay) }
    : { start: monthBoundary(year, month - 1, day, timeOfDay), end: boundary };
}

/**
 * An anchor that yields the same periods as the one `period` was made with:
 * what a counter recorded is all that is known of a consumer's anchor when
 * the consumer is not at hand. A month that starts on its last day was
 * shortened from a later anchor day unless the next one starts earlier.
 */
export function anchorOfPeriod(kind: PeriodKind, period: Period): number {
  if (kind !== "month") return period.start;
  const start = new Date(period.start);
  const end = new Date(period.end);
  const lastDay = (date: Date) => date.getUTCDate() === daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
  const day = !lastDay(start) ? start.getUTCDate() : !lastDay(end) ? end.getUTCDate() : 31;
  // January has every day a month can start on.
  return Date.UTC(2000, 0, day) + modulo(period.start, DAY_MS);
}
