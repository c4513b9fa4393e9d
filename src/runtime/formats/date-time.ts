/**
 * @module
 * RFC 3339 dates and times, for the date, time and date-time formats, checked
 * as values and not only as text: February 29th only in leap years, and a
 * leap second only at 23:59:60 UTC. ajv-formats' looser iso-time and
 * iso-date-time (offset optional, "+0100" too) are kept as it reads them.
 */

const TIME = /^(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|([+-])(\d\d):(\d\d))$/;
const LOOSE_TIME = /^(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|([+-])(\d\d)(?::?(\d\d))?)?$/;
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt](.*)$/s;
const LOOSE_DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt\s](.*)$/s;

function validDate(year: number, month: number, day: number): boolean {
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

function validTime(text: string, pattern: RegExp): boolean {
  const parts = pattern.exec(text);
  if (!parts) return false;
  const [hour, minute, second, , offsetHour, offsetMinute] = parts.slice(1).map((part) => Number(part ?? 0));
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return false;
  const offset = (parts[4] === "-" ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  return second < 60 || (((hour * 60 + minute - offset) % 1440) + 1440) % 1440 === 23 * 60 + 59;
}

function validDateTime(text: string, separator: RegExp, pattern: RegExp): boolean {
  const parts = separator.exec(text);
  return parts !== null && validDate(Number(parts[1]), Number(parts[2]), Number(parts[3])) && validTime(parts[4], pattern);
}

export function date(value: string): boolean {
  return /^\d{4}-\d\d-\d\d$/.test(value) && validDate(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8)));
}

export function time(value: string): boolean {
  return validTime(value, TIME);
}

export function dateTime(value: string): boolean {
  return validDateTime(value, DATE_TIME, TIME);
}

export function isoTime(value: string): boolean {
  return validTime(value, LOOSE_TIME);
}

export function isoDateTime(value: string): boolean {
  return validDateTime(value, LOOSE_DATE_TIME, LOOSE_TIME);
}
