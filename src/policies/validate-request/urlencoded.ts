/**
 * @module
 * The fields of an application/x-www-form-urlencoded body (WHATWG URL §5.1):
 * `&`-separated `name=value` pairs, `+` a space, percent-encoding decoded.
 * Names are decoded at once, so that an encoded bracket is a bracket; values
 * are decoded after the split on delimiters, so that an encoded delimiter is
 * data. Bad percent-encoding is refused, never guessed at.
 */
import type { FieldSyntax } from "./form-fields.ts";
import { FormError } from "./form-tree.ts";

function decoded(raw: string): string | undefined {
  const text = raw.includes("+") ? raw.replaceAll("+", " ") : raw;
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Names decoded, values raw; more than `maxKeys` fields is a FormError, found before the rest is split. */
export function urlencodedFields(text: string, maxKeys: number): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (let start = 0; start < text.length;) {
    const amp = text.indexOf("&", start);
    const end = amp < 0 ? text.length : amp;
    if (end > start) {
      if (fields.length === maxKeys) throw new FormError("", `The body has more than ${maxKeys} fields.`);
      const pair = text.slice(start, end);
      const equals = pair.indexOf("=");
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      const name = decoded(rawName);
      if (name === undefined) throw new FormError("", `The field name ${JSON.stringify(rawName.slice(0, 40))} has invalid percent-encoding.`);
      fields.push([name, equals < 0 ? "" : pair.slice(equals + 1)]);
    }
    start = end + 1;
  }
  return fields;
}

export const URLENCODED: FieldSyntax = {
  percentEncoded: true,
  decode(raw, pointer) {
    const text = decoded(raw);
    if (text === undefined) throw new FormError(pointer, "has invalid percent-encoding");
    return text;
  },
};
