/**
 * @module
 * Host names and mailboxes, for the generated validators: the hostname and
 * email formats and their internationalized forms, idn-hostname and
 * idn-email (Punycode A-labels, IDNA2008 U-labels and the Bidi rule).
 *
 * The generated module holds `hostNameFormats` as its source text (see
 * formats.ts), so it uses nothing from outside its own body: the address
 * grammars of formats-uri.ts and Punycode (formats-punycode.ts) it is given.
 */

export function hostNameFormats(
  { ipv4Address, ipv6Address }: { ipv4Address: RegExp; ipv6Address: RegExp },
  { decode: punycodeDecode, encode: punycodeEncode }: { decode: (input: string) => string | undefined; encode: (input: string) => string },
) {
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

  return { hostName, mailbox };
}
