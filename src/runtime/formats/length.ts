/**
 * @module
 * A string's length in code points, as JSON Schema's maxLength and minLength
 * count it (a UTF-16 `length` counts an emoji twice). Ajv's ucs2length does
 * the same; this one spares the generated module a CommonJS import.
 */

export function length(text: string): number {
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
