/**
 * @module
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): reading a
 * caller's `traceparent`, and writing the gateway's own, which `forward` sends
 * upstream and the response carries as `traceresponse` (Trace Context Level 3).
 */

/** version-traceid-parentid-flags; a future version may append fields after a dash. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

export interface IncomingTrace {
  traceId: string;
  /** The caller's span: the parent of the gateway's. */
  parentId: string;
  sampled: boolean;
}

/** The caller's trace, or undefined when the header is absent or invalid (a new trace starts then, as the spec says). */
export function readTraceparent(header: string | null): IncomingTrace | undefined {
  if (header === null) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN) return undefined;
  return { traceId, parentId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export function traceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}

/** Each byte's two hex digits, looked up rather than formatted per byte. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** Filled anew by each call, which reads them at once: no buffer is made per id. */
const DRAWS = { 8: new Uint8Array(8), 16: new Uint8Array(16), 24: new Uint8Array(24) };

/** `bytes` random bytes as lowercase hex: 16 for a trace id, 8 for a span id, 24 for both at once. */
export function randomId(bytes: 8 | 16 | 24): string {
  const values = crypto.getRandomValues(DRAWS[bytes]);
  let hex = "";
  for (let i = 0; i < bytes; i++) hex += HEX[values[i]];
  return hex;
}
