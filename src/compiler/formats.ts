/**
 * @module
 * What the generated validators run beside Ajv's code: every format that is
 * a function (those ajv-formats reads too loosely or lacks, and the rest of
 * its own; its regular expressions Ajv writes into the code as literals), the
 * RegExp maker for `pattern`, deep equality and string length. So the
 * generated module imports nothing for them, and runs wherever it is written.
 *
 * They live in four functions, `runtimeOf` here, `uriGrammars`
 * (formats-uri.ts), `punycode` (formats-punycode.ts) and `hostNameFormats`
 * (formats-idn.ts), which Ajv calls at build time through `porticoRuntime`
 * and which the generated module holds as
 * their source text, so both run the very same code. Each must therefore use
 * nothing from outside its own body: what one needs of another, it is given
 * as an argument.
 */
import { hostNameFormats } from "./formats-idn.ts";
import { punycode } from "./formats-punycode.ts";
import { uriGrammars } from "./formats-uri.ts";

/** The names the generated code reads them from. */
export const FORMATS_NAME = "porticoFormats";
export const REGEXP_NAME = "porticoRegExp";
export const EQUAL_NAME = "porticoEqual";
export const LENGTH_NAME = "porticoLength";

/** The formats and helpers, composed as `runtimePrelude` composes them in the generated module. */
export function porticoRuntime() {
  const uris = uriGrammars();
  return runtimeOf(uris, hostNameFormats(uris, punycode()));
}

function runtimeOf({ uri, iri, uriTemplate }: ReturnType<typeof uriGrammars>, { hostName, mailbox }: ReturnType<typeof hostNameFormats>) {
  /**
   * Patterns are ECMAScript regular expressions read with the "u" flag (so `.`
   * and `\p{L}` mean Unicode characters); one that is only valid without it
   * (`\-` or `\_` outside a class, which documents use) is read without it.
   */
  function regExp(pattern: string, flags: string): RegExp {
    try {
      return new RegExp(pattern, flags);
    } catch {
      return new RegExp(pattern, flags.replace("u", ""));
    }
  }

  /**
   * Deep equality of JSON values, for enum, const and uniqueItems. Ajv's own
   * (fast-deep-equal) calls a value's `toString` and `valueOf`, which a JSON
   * body may well hold as plain keys: `{"toString": ""}` would throw.
   */
  function equal(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, i) => equal(item, (b as unknown[])[i]));
    const keys = Object.keys(a);
    const other = b as Record<string, unknown>;
    return keys.length === Object.keys(other).length && keys.every((key) => Object.prototype.hasOwnProperty.call(other, key) && equal((a as Record<string, unknown>)[key], other[key]));
  }

  /** A string's length in code points, as maxLength and minLength count. */
  function length(text: string): number {
    let count = text.length;
    for (let i = 0; i < text.length - 1; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        count--;
        i++;
      }
    }
    return count;
  }

  // RFC 3339 dates and times; ajv-formats' iso-time and iso-date-time (offset optional, "+0100" too) kept as it reads them.
  function validDate(year: number, month: number, day: number): boolean {
    const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return days !== undefined && day >= 1 && day <= days;
  }
  const time = /^(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|([+-])(\d\d):(\d\d))$/;
  const looseTime = /^(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|([+-])(\d\d)(?::?(\d\d))?)?$/;
  function validTime(text: string, pattern = time): boolean {
    const parts = pattern.exec(text);
    if (!parts) return false;
    const [hour, minute, second, , offsetHour, offsetMinute] = parts.slice(1).map((part) => Number(part ?? 0));
    if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return false;
    // A leap second is 23:59:60 in UTC only.
    const offset = (parts[4] === "-" ? -1 : 1) * (offsetHour * 60 + offsetMinute);
    return second < 60 || (((hour * 60 + minute - offset) % 1440) + 1440) % 1440 === 23 * 60 + 59;
  }
  function validDateTime(text: string, separator = /^(\d{4})-(\d\d)-(\d\d)[Tt](.*)$/s, pattern = time): boolean {
    const parts = separator.exec(text);
    return parts !== null && validDate(Number(parts[1]), Number(parts[2]), Number(parts[3])) && validTime(parts[4], pattern);
  }

  const durationTime = "T(?:\\d+H(?:\\d+M(?:\\d+S)?)?|\\d+M(?:\\d+S)?|\\d+S)";
  const duration = new RegExp(`^P(?:(?:\\d+D|\\d+M(?:\\d+D)?|\\d+Y(?:\\d+M(?:\\d+D)?)?)(?:${durationTime})?|${durationTime}|\\d+W)$`);

  const number = (check: (value: number) => boolean) => ({ type: "number" as const, validate: check });
  const formats = {
    date: (value: string) => /^\d{4}-\d\d-\d\d$/.test(value) && validDate(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8))),
    time: (value: string) => validTime(value),
    "date-time": (value: string) => validDateTime(value),
    "iso-time": (value: string) => validTime(value, looseTime),
    "iso-date-time": (value: string) => validDateTime(value, /^(\d{4})-(\d\d)-(\d\d)[Tt\s](.*)$/s, looseTime),
    duration: (value: string) => duration.test(value),
    uri: (value: string) => uri.absolute.test(value),
    "uri-reference": (value: string) => uri.reference.test(value),
    iri: (value: string) => iri.absolute.test(value),
    "iri-reference": (value: string) => iri.reference.test(value),
    "uri-template": (value: string) => uriTemplate.test(value),
    email: (value: string) => mailbox(value, false),
    "idn-email": (value: string) => mailbox(value, true),
    hostname: (value: string) => hostName(value, /\./, false),
    "idn-hostname": (value: string) => hostName(value, /[.\u3002\uFF0E\uFF61]/, true),
    uuid: (value: string) => /^[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$/.test(value),
    regex: (value: string) => {
      try {
        return Boolean(new RegExp(value, "u"));
      } catch {
        return false;
      }
    },
    // OpenAPI's own formats.
    byte: (value: string) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value),
    int32: number((value) => Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1),
    int64: number((value) => Number.isInteger(value)),
    float: number(() => true),
    double: number(() => true),
  };
  return { formats, regExp, equal, length };
}

/** What the generated module defines before Ajv's code. */
export function runtimePrelude(): string {
  return `const porticoUris = (${uriGrammars.toString()})();
const porticoPunycode = (${punycode.toString()})();
const porticoHosts = (${hostNameFormats.toString()})(porticoUris, porticoPunycode);
const { formats: ${FORMATS_NAME}, regExp: ${REGEXP_NAME}, equal: ${EQUAL_NAME}, length: ${LENGTH_NAME} } = (${runtimeOf.toString()})(porticoUris, porticoHosts);`;
}
