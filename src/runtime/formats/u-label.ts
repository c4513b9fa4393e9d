/**
 * @module
 * IDNA2008's code point rules for one U-label (RFC 5891 §5.4, RFC 5892 with
 * its contextual rules): what makes idn-hostname stricter than "any Unicode
 * letter". RFC 5892's derived property table is approximated from general
 * categories and binary properties, and joining types from scripts, so no
 * Unicode table has to ship with the Worker.
 */

const VIRAMA =
  /[\u{94D}\u{9CD}\u{A4D}\u{ACD}\u{B4D}\u{BCD}\u{C4D}\u{CCD}\u{D3B}\u{D3C}\u{D4D}\u{DCA}\u{E3A}\u{EBA}\u{F84}\u{1039}\u{103A}\u{1714}\u{1715}\u{1734}\u{17D2}\u{1A60}\u{1B44}\u{1BAA}\u{1BAB}\u{1BF2}\u{1BF3}\u{2D7F}\u{A806}\u{A82C}\u{A8C4}\u{A953}\u{A9C0}\u{AAF6}\u{ABED}\u{10A3F}\u{11046}\u{11070}\u{1107F}\u{110B9}\u{11133}\u{11134}\u{111C0}\u{11235}\u{112EA}\u{1134D}\u{11442}\u{114C2}\u{115BF}\u{1163F}\u{116B6}\u{1172B}\u{11839}\u{1193D}\u{1193E}\u{119E0}\u{11A34}\u{11A47}\u{11A99}\u{11C3F}\u{11D44}\u{11D45}\u{11D97}]/u;
const JOINING =
  /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Mandaic}\p{Script=Manichaean}\p{Script=Psalter_Pahlavi}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Sogdian}\p{Script=Phags_Pa}]/u;
const ARABIC_INDIC = /[\u0660-\u0669]/;
const EXTENDED_ARABIC_INDIC = /[\u06F0-\u06F9]/;

/** Whether a label of non-ASCII (or decoded) text is a valid U-label. */
export function validULabel(label: string): boolean {
  const chars = Array.from(label);
  if (label.startsWith("-") || label.endsWith("-") || label.slice(2, 4) === "--" || /^\p{M}/u.test(label)) return false;
  return chars.every((c, i) => {
    const [before, after] = [chars[i - 1] ?? "", chars[i + 1] ?? ""];
    // RFC 5892 §2.6's exceptions, PVALID then DISALLOWED.
    if (/[\u00DF\u03C2\u06FD\u06FE\u0F0B\u3007]/.test(c)) return true;
    if (/[\u0640\u07FA\u302E\u302F\u3031-\u3035\u303B]/.test(c)) return false;
    // The CONTEXTO and CONTEXTJ rules of RFC 5892's Appendix A.
    if (c === "\u00B7") return before === "l" && after === "l";
    if (c === "\u0375") return /\p{Script=Greek}/u.test(after);
    if (c === "\u05F3" || c === "\u05F4") return /\p{Script=Hebrew}/u.test(before);
    if (c === "\u30FB") return chars.some((o) => /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(o));
    if (ARABIC_INDIC.test(c)) return !chars.some((o) => EXTENDED_ARABIC_INDIC.test(o));
    if (EXTENDED_ARABIC_INDIC.test(c)) return !chars.some((o) => ARABIC_INDIC.test(o));
    if (c === "\u200D") return VIRAMA.test(before);
    if (c === "\u200C") {
      if (VIRAMA.test(before)) return true;
      const left = chars.slice(0, i).findLast((o) => !/[\p{Mn}\p{Me}\p{Cf}]/u.test(o)) ?? "";
      const right = chars.slice(i + 1).find((o) => !/[\p{Mn}\p{Me}\p{Cf}]/u.test(o)) ?? "";
      return JOINING.test(left) && JOINING.test(right);
    }
    if (/[a-z0-9-]/.test(c)) return true;
    const unstable = c.normalize("NFKC").toLowerCase().normalize("NFKC") !== c;
    const ignorable = /[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Noncharacter_Code_Point}\p{Cn}]/u.test(c);
    const ignoredBlock = /[\u20D0-\u20FF\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\u{1D100}-\u{1D24F}]/u.test(c);
    return !unstable && !ignorable && !ignoredBlock && /[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}]/u.test(c);
  });
}
