/**
 * @module
 * Host names, for the hostname and idn-hostname formats: ajv-formats'
 * pattern knows nothing of A-labels, so `xn--` labels that decode to nothing
 * valid pass it, and it has no idn-hostname at all.
 */
import { bidiRule } from "./bidi-rule.ts";
import { decodePunycode, encodePunycode } from "./punycode.ts";
import { validULabel } from "./u-label.ts";

/** The label separators of an internationalized host name (RFC 3490 §3.1): the full stop and its ideographic and full-width forms. */
export const IDN_SEPARATORS = /[.\u3002\uFF0E\uFF61]/;

/** Whether `name` is a host name, its labels split by `separators`; non-ASCII labels only when `international`. */
export function hostName(name: string, separators: RegExp, international: boolean): boolean {
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
        const found = decodePunycode(encoded);
        if (found === undefined || /^[\x00-\x7F]*$/.test(found) || encodePunycode(found) !== encoded || !validULabel(found)) return false;
        decoded = found;
      } else if (label.slice(2, 4) === "--") return false;
    } else {
      if (!international || Array.from(label).length > 63 || !validULabel(label)) return false;
      ascii = `xn--${encodePunycode(label)}`;
      if (ascii.length > 63) return false;
    }
    length += ascii.length;
    unicode.push(decoded);
  }
  return length <= 253 && bidiRule(unicode);
}
