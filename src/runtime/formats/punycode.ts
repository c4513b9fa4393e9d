/**
 * @module
 * Punycode (RFC 3492), to read and check the A-labels (`xn--...`) of
 * internationalized host names. Written out because run-time code imports no
 * node:* module (node:punycode among them), and an A-label is valid only if
 * it decodes to a U-label that encodes back to it.
 */

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;

function adapt(delta: number, points: number, first: boolean): number {
  delta = first ? Math.floor(delta / 700) : delta >> 1;
  delta += Math.floor(delta / points);
  let k = 0;
  for (; delta > 455; k += BASE) delta = Math.floor(delta / 35);
  return k + Math.floor((36 * delta) / (delta + 38));
}

const threshold = (k: number, bias: number) => (k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias);

/** The Unicode text of a Punycode string (without its `xn--`), or undefined when it is not one. */
export function decodePunycode(input: string): string | undefined {
  const basic = Math.max(input.lastIndexOf("-"), 0);
  const output = Array.from(input.slice(0, basic), (c) => c.codePointAt(0)!);
  if (output.some((c) => c >= 0x80)) return undefined;
  let [n, bias, i] = [128, 72, 0];
  for (let index = basic > 0 ? basic + 1 : 0; index < input.length;) {
    const old = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (index >= input.length) return undefined;
      const c = input.charCodeAt(index++);
      const digit = c >= 48 && c <= 57 ? c - 22 : c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 97 : BASE;
      if (digit >= BASE) return undefined;
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      w *= BASE - t;
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

/** The Punycode form of Unicode text, without the `xn--` prefix. */
export function encodePunycode(input: string): string {
  const points = Array.from(input, (c) => c.codePointAt(0)!);
  const digit = (d: number) => String.fromCharCode(d + 22 + (d < 26 ? 75 : 0));
  let output = points
    .filter((c) => c < 0x80)
    .map((c) => String.fromCharCode(c))
    .join("");
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
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        output += digit(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
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
