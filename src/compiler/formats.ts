/**
 * @module
 * What the generated validators run beside Ajv's code: every format that is
 * a function (those ajv-formats reads too loosely or lacks, and the rest of
 * its own; its regular expressions Ajv writes into the code as literals), the
 * RegExp maker for `pattern`, deep equality and string length. So the module
 * imports nothing, and runs wherever it is written.
 *
 * They live in one function, `porticoRuntime`, which Ajv calls at build time
 * and which the generated module holds as its source text, so both run the
 * very same code. It must therefore use nothing from outside its own body.
 */

/** The names the generated code reads them from. */
export const FORMATS_NAME = "porticoFormats";
export const REGEXP_NAME = "porticoRegExp";
export const EQUAL_NAME = "porticoEqual";
export const LENGTH_NAME = "porticoLength";

export function porticoRuntime() {
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

  // RFC 3986 (URI) and RFC 3987 (IRI, with `ucs`) grammars, as regular expressions.
  const hex = "[0-9A-Fa-f]";
  const pct = `%${hex}{2}`;
  const decOctet = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  const ipv4 = `(?:${decOctet}\\.){3}${decOctet}`;
  const h16 = `${hex}{1,4}`;
  const ls32 = `(?:${h16}:${h16}|${ipv4})`;
  const ipv6 = [
    `(?:${h16}:){6}${ls32}`,
    `::(?:${h16}:){5}${ls32}`,
    `(?:${h16})?::(?:${h16}:){4}${ls32}`,
    `(?:(?:${h16}:){0,1}${h16})?::(?:${h16}:){3}${ls32}`,
    `(?:(?:${h16}:){0,2}${h16})?::(?:${h16}:){2}${ls32}`,
    `(?:(?:${h16}:){0,3}${h16})?::${h16}:${ls32}`,
    `(?:(?:${h16}:){0,4}${h16})?::${ls32}`,
    `(?:(?:${h16}:){0,5}${h16})?::${h16}`,
    `(?:(?:${h16}:){0,6}${h16})?::`,
  ].join("|");
  const ucs = "\\u{A0}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFEF}\\u{10000}-\\u{1FFFD}\\u{20000}-\\u{2FFFD}\\u{30000}-\\u{3FFFD}\\u{40000}-\\u{4FFFD}\\u{50000}-\\u{5FFFD}\\u{60000}-\\u{6FFFD}\\u{70000}-\\u{7FFFD}\\u{80000}-\\u{8FFFD}\\u{90000}-\\u{9FFFD}\\u{A0000}-\\u{AFFFD}\\u{B0000}-\\u{BFFFD}\\u{C0000}-\\u{CFFFD}\\u{D0000}-\\u{DFFFD}\\u{E1000}-\\u{EFFFD}";
  const privateUse = "\\u{E000}-\\u{F8FF}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}";

  function uriGrammar(international: boolean) {
    const unreserved = `A-Za-z0-9\\-._~${international ? ucs : ""}`;
    const sub = "!$&'()*+,;=";
    const pchar = `(?:[${unreserved}${sub}:@]|${pct})`;
    const segment = `${pchar}*`;
    const authority = `(?:(?:[${unreserved}${sub}:]|${pct})*@)?(?:\\[(?:${ipv6}|[vV]${hex}+\\.[${unreserved}${sub}:]+)\\]|(?:[${unreserved}${sub}]|${pct})*)(?::\\d*)?`;
    const pathAbsolute = `/(?:${pchar}+(?:/${segment})*)?`;
    const tail = `(?:\\?(?:${pchar}|[/?${international ? privateUse : ""}])*)?(?:#(?:${pchar}|[/?])*)?`;
    const scheme = "[A-Za-z][A-Za-z0-9+.\\-]*";
    const absolute = `${scheme}:(?://${authority}(?:/${segment})*|${pathAbsolute}|${pchar}+(?:/${segment})*|)`;
    const relative = `(?://${authority}(?:/${segment})*|${pathAbsolute}|(?:[${unreserved}${sub}@]|${pct})+(?:/${segment})*|)`;
    return { absolute: new RegExp(`^${absolute}${tail}$`, "u"), reference: new RegExp(`^(?:${absolute}|${relative})${tail}$`, "u") };
  }
  const uri = uriGrammar(false);
  const iri = uriGrammar(true);
  const ipv4Address = new RegExp(`^${ipv4}$`);
  const ipv6Address = new RegExp(`^(?:${ipv6})$`);

  // Punycode (RFC 3492), for the A-labels of host names.
  const [base, tMin, tMax] = [36, 1, 26];
  function adapt(delta: number, points: number, first: boolean): number {
    delta = first ? Math.floor(delta / 700) : delta >> 1;
    delta += Math.floor(delta / points);
    let k = 0;
    for (; delta > 455; k += base) delta = Math.floor(delta / 35);
    return k + Math.floor((36 * delta) / (delta + 38));
  }
  const threshold = (k: number, bias: number) => (k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias);
  function punycodeDecode(input: string): string | undefined {
    const basic = Math.max(input.lastIndexOf("-"), 0);
    const output = Array.from(input.slice(0, basic), (c) => c.codePointAt(0)!);
    if (output.some((c) => c >= 0x80)) return undefined;
    let [n, bias, i] = [128, 72, 0];
    for (let index = basic > 0 ? basic + 1 : 0; index < input.length; ) {
      const old = i;
      for (let w = 1, k = base; ; k += base) {
        if (index >= input.length) return undefined;
        const c = input.charCodeAt(index++);
        const digit = c >= 48 && c <= 57 ? c - 22 : c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 97 : base;
        if (digit >= base) return undefined;
        i += digit * w;
        const t = threshold(k, bias);
        if (digit < t) break;
        w *= base - t;
        if (i > 0x10ffff * (output.length + 1)) return undefined;
      }
      bias = adapt(i - old, output.length + 1, old === 0);
      n += Math.floor(i / (output.length + 1));
      i %= output.length + 1;
      if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
      output.splice(i++, 0, n);
    }
    return String.fromCodePoint(...output);
  }
  function punycodeEncode(input: string): string {
    const points = Array.from(input, (c) => c.codePointAt(0)!);
    const digit = (d: number) => String.fromCharCode(d + 22 + (d < 26 ? 75 : 0));
    let output = points.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join("");
    const basic = output.length;
    if (basic > 0) output += "-";
    let [n, delta, bias, handled] = [128, 0, 72, basic];
    while (handled < points.length) {
      const m = Math.min(...points.filter((c) => c >= n));
      delta += (m - n) * (handled + 1);
      n = m;
      for (const c of points) {
        if (c < n) delta++;
        if (c !== n) continue;
        let q = delta;
        for (let k = base; ; k += base) {
          const t = threshold(k, bias);
          if (q < t) break;
          output += digit(t + ((q - t) % (base - t)));
          q = Math.floor((q - t) / (base - t));
        }
        output += digit(q);
        bias = adapt(delta, handled + 1, handled === basic);
        delta = 0;
        handled++;
      }
      delta++;
      n++;
    }
    return output;
  }

  // IDNA2008 (RFC 5891-5893). The derived property table of RFC 5892 is read from
  // general categories and binary properties; joining types from scripts.
  const virama = /[\u{94D}\u{9CD}\u{A4D}\u{ACD}\u{B4D}\u{BCD}\u{C4D}\u{CCD}\u{D3B}\u{D3C}\u{D4D}\u{DCA}\u{E3A}\u{EBA}\u{F84}\u{1039}\u{103A}\u{1714}\u{1715}\u{1734}\u{17D2}\u{1A60}\u{1B44}\u{1BAA}\u{1BAB}\u{1BF2}\u{1BF3}\u{2D7F}\u{A806}\u{A82C}\u{A8C4}\u{A953}\u{A9C0}\u{AAF6}\u{ABED}\u{10A3F}\u{11046}\u{11070}\u{1107F}\u{110B9}\u{11133}\u{11134}\u{111C0}\u{11235}\u{112EA}\u{1134D}\u{11442}\u{114C2}\u{115BF}\u{1163F}\u{116B6}\u{1172B}\u{11839}\u{1193D}\u{1193E}\u{119E0}\u{11A34}\u{11A47}\u{11A99}\u{11C3F}\u{11D44}\u{11D45}\u{11D97}]/u;
  const joining = /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Mandaic}\p{Script=Manichaean}\p{Script=Psalter_Pahlavi}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Sogdian}\p{Script=Phags_Pa}]/u;
  const rightToLeft = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Imperial_Aramaic}\p{Script=Phoenician}\p{Script=Kharoshthi}\p{Script=Old_South_Arabian}\p{Script=Avestan}\p{Script=Inscriptional_Parthian}\p{Script=Inscriptional_Pahlavi}\p{Script=Psalter_Pahlavi}\p{Script=Old_Turkic}\p{Script=Manichaean}\p{Script=Nabataean}\p{Script=Palmyrene}\p{Script=Hatran}\p{Script=Old_Hungarian}\p{Script=Sogdian}\p{Script=Old_Sogdian}\p{Script=Elymaic}\p{Script=Chorasmian}\p{Script=Yezidi}\p{Script=Mende_Kikakui}\p{Script=Lydian}\p{Script=Cypriot}]/u;
  const arabicIndic = /[\u0660-\u0669]/;
  const extendedArabicIndic = /[\u06F0-\u06F9]/;

  function bidiClass(c: string): "L" | "R" | "AN" | "EN" | "NSM" | "ES" | "BN" | "ON" {
    if (/[\u0600-\u0605\u0660-\u0669\u066B\u066C\u06DD\u0890\u0891\u08E2\u{10D30}-\u{10D39}\u{10E60}-\u{10E7E}]/u.test(c)) return "AN";
    if (/[0-9\u00B2\u00B3\u00B9\u06F0-\u06F9\u2070-\u2079\u2080-\u2089\uFF10-\uFF19]/.test(c)) return "EN";
    if (/[\p{Mn}\p{Me}]/u.test(c)) return "NSM";
    if (rightToLeft.test(c)) return "R";
    if (c === "-") return "ES";
    if (/\p{Cf}/u.test(c)) return "BN";
    return /[\p{L}\p{Mc}\p{N}]/u.test(c) ? "L" : "ON";
  }

  /** RFC 5893: in a domain name holding a right-to-left label, every label obeys the Bidi rule. */
  function bidiRule(labels: string[]): boolean {
    const classes = labels.map((label) => Array.from(label, bidiClass));
    if (!classes.some((list) => list.some((c) => c === "R" || c === "AN"))) return true;
    return classes.every((list) => {
      const last = list.findLast((c) => c !== "NSM");
      if (list[0] === "R") return list.every((c) => c !== "L") && ["R", "EN", "AN"].includes(last!) && !(list.includes("EN") && list.includes("AN"));
      return list[0] === "L" && list.every((c) => c !== "R" && c !== "AN") && (last === "L" || last === "EN");
    });
  }

  /** RFC 5892's code point rules (with contextual ones) for one U-label. */
  function validULabel(label: string): boolean {
    const chars = Array.from(label);
    if (label.startsWith("-") || label.endsWith("-") || label.slice(2, 4) === "--" || /^\p{M}/u.test(label)) return false;
    return chars.every((c, i) => {
      const [before, after] = [chars[i - 1] ?? "", chars[i + 1] ?? ""];
      if (/[\u00DF\u03C2\u06FD\u06FE\u0F0B\u3007]/.test(c)) return true;
      if (/[\u0640\u07FA\u302E\u302F\u3031-\u3035\u303B]/.test(c)) return false;
      if (c === "\u00B7") return before === "l" && after === "l";
      if (c === "\u0375") return /\p{Script=Greek}/u.test(after);
      if (c === "\u05F3" || c === "\u05F4") return /\p{Script=Hebrew}/u.test(before);
      if (c === "\u30FB") return chars.some((o) => /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(o));
      if (arabicIndic.test(c)) return !chars.some((o) => extendedArabicIndic.test(o));
      if (extendedArabicIndic.test(c)) return !chars.some((o) => arabicIndic.test(o));
      if (c === "\u200D") return virama.test(before);
      if (c === "\u200C") {
        if (virama.test(before)) return true;
        const left = chars.slice(0, i).findLast((o) => !/[\p{Mn}\p{Me}\p{Cf}]/u.test(o)) ?? "";
        const right = chars.slice(i + 1).find((o) => !/[\p{Mn}\p{Me}\p{Cf}]/u.test(o)) ?? "";
        return joining.test(left) && joining.test(right);
      }
      if (/[a-z0-9-]/.test(c)) return true;
      const unstable = c.normalize("NFKC").toLowerCase().normalize("NFKC") !== c;
      const ignorable = /[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Noncharacter_Code_Point}\p{Cn}]/u.test(c);
      const ignoredBlock = /[\u20D0-\u20FF\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\u{1D100}-\u{1D24F}]/u.test(c);
      return !unstable && !ignorable && !ignoredBlock && /[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}]/u.test(c);
    });
  }

  /** A host name, its labels split by `separators`; non-ASCII labels only when `international`. */
  function hostName(name: string, separators: RegExp, international: boolean): boolean {
    // 253 octets in ASCII form; a U-label is never longer than its A-label, though a character may take two code units.
    if (name.length > (international ? 506 : 253)) return false;
    const labels = name.split(separators);
    const unicode: string[] = [];
    let length = labels.length - 1;
    for (const label of labels) {
      let ascii = label;
      let decoded = label;
      if (/^[\x00-\x7F]*$/.test(label)) {
        if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label)) return false;
        if (/^xn--/i.test(label)) {
          // DNS ignores ASCII case: so does the A-label's check.
          const encoded = label.slice(4).toLowerCase();
          const found = punycodeDecode(encoded);
          if (found === undefined || /^[\x00-\x7F]*$/.test(found) || punycodeEncode(found) !== encoded || !validULabel(found)) return false;
          decoded = found;
        } else if (label.slice(2, 4) === "--") return false;
      } else {
        if (!international || Array.from(label).length > 63 || !validULabel(label)) return false;
        ascii = `xn--${punycodeEncode(label)}`;
        if (ascii.length > 63) return false;
      }
      length += ascii.length;
      unicode.push(decoded);
    }
    return length <= 253 && bidiRule(unicode);
  }

  /** RFC 5321's Mailbox, and RFC 6531's when `international` (UTF-8 in the local part and the domain). */
  const localParts = [false, true].map((international) => {
    const utf8 = international ? "\\u{80}-\\u{10FFFF}" : "";
    const atext = `A-Za-z0-9!#$%&'*+\\/=?^_\`{|}~\\-${utf8}`;
    return new RegExp(`^(?:[${atext}]+(?:\\.[${atext}]+)*|"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E${utf8}]|\\\\[\\x20-\\x7E])*")$`, "u");
  });
  function mailbox(address: string, international: boolean): boolean {
    const at = address.lastIndexOf("@");
    if (at < 1) return false;
    const [local, domain] = [address.slice(0, at), address.slice(at + 1)];
    if (!localParts[Number(international)].test(local) || new TextEncoder().encode(local).length > 64) return false;
    const literal = /^\[(.*)\]$/.exec(domain)?.[1];
    if (literal !== undefined) return ipv4Address.test(literal) || (literal.startsWith("IPv6:") && ipv6Address.test(literal.slice(5)));
    return international ? hostName(domain, /[.\u3002\uFF0E\uFF61]/, true) : hostName(domain, /\./, false);
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
  const literal = `(?:[\\x21\\x23\\x24\\x26-\\x3B\\x3D\\x3F-\\x5B\\x5D\\x5F\\x61-\\x7A\\x7E${ucs}${privateUse}]|${pct})`;
  const varspec = `(?:[A-Za-z0-9_]|${pct})(?:\\.?(?:[A-Za-z0-9_]|${pct}))*(?::[1-9]\\d{0,3}|\\*)?`;
  const uriTemplate = new RegExp(`^(?:${literal}|\\{[+#./;?&=,!@|]?${varspec}(?:,${varspec})*\\})*$`, "u");

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
  return `${porticoRuntime.toString()}
const { formats: ${FORMATS_NAME}, regExp: ${REGEXP_NAME}, equal: ${EQUAL_NAME}, length: ${LENGTH_NAME} } = porticoRuntime();`;
}
