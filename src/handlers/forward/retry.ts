/**
 * @module
 * When a failed upstream attempt may be tried again, and after how long. A
 * request is retried only when repeating it is harmless (an idempotent
 * method, or an Idempotency-Key the upstream deduplicates by), and its body
 * only when the gateway holds all of it: a small body with a declared length.
 */
import { declaredLength } from "../../runtime/body-limit.ts";
import { fromClient } from "../../runtime/client-body.ts";
import { IDEMPOTENT_METHODS } from "./upstreams.ts";

/** The largest body kept in memory to be sent again. A larger one, or one of unknown length, is sent once. */
export const REPLAY_LIMIT = 1024 * 1024;

/** Whether the request may be sent more than once. */
export function mayRepeat(request: Request): boolean {
  return IDEMPOTENT_METHODS.has(request.method) || request.headers.has("idempotency-key");
}

/** The wait before retry `retry` (0 for the first retry): a random time up to base × 2^retry, capped at max ("full jitter"). */
export function backoff(retry: number, base: number, max: number, random: number): number {
  return Math.floor(random * Math.min(max, base * 2 ** retry));
}

/** Milliseconds a Retry-After (RFC 9110 §10.2.3: seconds, or an HTTP date) asks to wait; undefined without a readable one. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date (IMF-fixdate and the two obsolete forms) begins with the day's name.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The body of a request that may be retried, read whole so each attempt sends it again:
 * null without a body, undefined when it cannot be kept (no declared length, or over the limit).
 */
export async function replayableBody(request: Request): Promise<ArrayBuffer | null | undefined> {
  if (request.body === null) return null;
  if (request.headers.has("transfer-encoding")) return undefined;
  const length = declaredLength(request);
  if (length === undefined || length > REPLAY_LIMIT) return undefined;
  return fromClient(request.arrayBuffer());
}

/** Waits `ms`, or less when `signal` aborts first (the client left). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
