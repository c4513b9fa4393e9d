/**
 * @module
 * One value of each format that the format checks beside this file accept,
 * and OpenAPI's own formats besides: what the build writes where it needs a
 * value of a format (a generated mock answer, the fix of an example that
 * breaks its schema). Build time only: nothing at run time imports it.
 */

/** String formats. `variant` makes distinct values of one format (items of a uniqueItems array). */
const STRING_SAMPLES: Record<string, (variant: number) => string> = {
  "date-time": (n) => `2024-01-${pad(15 + (n % 14))}T09:30:00Z`,
  "iso-date-time": (n) => `2024-01-${pad(15 + (n % 14))}T09:30:00Z`,
  date: (n) => `2024-01-${pad(15 + (n % 14))}`,
  time: (n) => `09:${pad(30 + (n % 30))}:00Z`,
  "iso-time": (n) => `09:${pad(30 + (n % 30))}:00Z`,
  duration: (n) => `P${n + 1}D`,
  email: (n) => (n === 0 ? "user@example.com" : `user${n}@example.com`),
  "idn-email": (n) => (n === 0 ? "user@example.com" : `user${n}@example.com`),
  hostname: (n) => (n === 0 ? "example.com" : `host${n}.example.com`),
  "idn-hostname": (n) => (n === 0 ? "example.com" : `host${n}.example.com`),
  ipv4: (n) => `192.0.2.${(n % 254) + 1}`,
  ipv6: (n) => `2001:db8::${(n % 65535).toString(16)}`,
  uri: (n) => (n === 0 ? "https://example.com/" : `https://example.com/${n}`),
  url: (n) => (n === 0 ? "https://example.com/" : `https://example.com/${n}`),
  iri: (n) => (n === 0 ? "https://example.com/" : `https://example.com/${n}`),
  "uri-reference": (n) => `/resources/${n + 1}`,
  "iri-reference": (n) => `/resources/${n + 1}`,
  "uri-template": (n) => `https://example.com/{id}/${n}`,
  uuid: (n) => `3fa85f64-5717-4562-b3fc-${(0x2c963f66afa6 + n).toString(16).padStart(12, "0")}`,
  "json-pointer": (n) => `/items/${n}`,
  "relative-json-pointer": (n) => `${n}`,
  regex: () => "^[a-z]+$",
  byte: (n) => ["U3dhZ2dlciByb2Nrcw==", "UG9ydGljbw==", "bW9jaw=="][n % 3],
  binary: (n) => `binary${n || ""}`,
  password: (n) => `secret-password${n || ""}`,
  // Numbers written as text, which SDKs decode as numbers (Stripe's unit_amount_decimal, for one).
  decimal: (n) => `${12 + n}.50`,
  int32: (n) => `${42 + n}`,
  int64: (n) => `${1234567890 + n}`,
  float: (n) => `${1.5 + n}`,
  double: (n) => `${1.5 + n}`,
  number: (n) => `${42 + n}`,
  integer: (n) => `${42 + n}`,
  "unix-time": (n) => `${1700000000 + n}`,
  timestamp: (n) => `${1700000000 + n}`,
};

const pad = (n: number) => String(n).padStart(2, "0");

/** A value of the string format, or undefined for a format not known here. */
export function formatSample(format: string, variant = 0): string | undefined {
  return Object.hasOwn(STRING_SAMPLES, format) ? STRING_SAMPLES[format](variant) : undefined;
}

/** Where a number format implies a value: a time as seconds since the epoch. */
export function numberFormatSample(format: string): number | undefined {
  return format === "unix-time" || format === "timestamp" ? 1700000000 : undefined;
}
