/**
 * @module
 * One rate-limit counter: a Durable Object per policy instance and key.
 *
 * The algorithm is GCRA (the generic cell rate algorithm, as in ATM networks
 * and redis-cell), a token bucket in one number: the theoretical arrival
 * time (TAT) of the next request. A key gets a burst of `limit` at once and
 * then one request every window/limit; so any window admits at most 2×limit−1
 * (a full burst after an idle spell, plus the refill), and a steady client
 * gets exactly limit per window. It gives an exact Retry-After and stores one
 * number per key; a sliding log, which would cap every window at `limit`,
 * stores one entry per request (10,000 a minute for a paid tier).
 *
 * Exactness comes from the object itself: it decides from memory with no
 * await between reading and writing the TAT, does no outside I/O, and its
 * output gate holds each answer until the write is durable, so a restarted
 * object reloads exactly what it had admitted.
 */
import { DurableObject } from "cloudflare:workers";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests still admissible right now. */
  remaining: number;
  /** Seconds until the counter is back to a full `limit` (the RateLimit `t`). */
  reset: number;
  /** Seconds until the next request would be admitted (0 when allowed). */
  retryAfter: number;
  /** The same, in milliseconds, for callers that keep their own timers. */
  retryAfterMs: number;
}

const TAT_KEY = "tat";

export class RateLimiter extends DurableObject {
  #tat: number | undefined;

  async check(limit: number, windowSeconds: number): Promise<RateDecision> {
    // NaN or Infinity would poison the stored time for good: refuse them before touching it.
    if (!Number.isInteger(limit) || limit < 1 || !Number.isFinite(windowSeconds) || windowSeconds <= 0) {
      throw new RangeError(`limit and window must be positive numbers (got ${limit} per ${windowSeconds} s)`);
    }
    if (this.#tat === undefined) {
      const stored = await this.ctx.storage.get<number>(TAT_KEY);
      this.#tat = Number.isFinite(stored) ? stored! : 0;
    }
    const now = Date.now();
    const windowMs = windowSeconds * 1000;
    const interval = windowMs / limit;
    const tat = Math.max(this.#tat, now);
    const next = tat + interval;
    const allowAt = next - windowMs;
    if (now < allowAt) {
      return { allowed: false, limit, remaining: 0, reset: Math.ceil((tat - now) / 1000), retryAfter: Math.ceil((allowAt - now) / 1000), retryAfterMs: allowAt - now };
    }
    this.#tat = next;
    // Not awaited: the output gate holds the answer until the write is durable.
    void this.ctx.storage.put(TAT_KEY, next);
    // The epsilon absorbs float error at tiny intervals (a limit of millions a minute).
    return { allowed: true, limit, remaining: Math.floor((windowMs - (next - now)) / interval + 1e-6), reset: Math.ceil((next - now) / 1000), retryAfter: 0, retryAfterMs: 0 };
  }
}
