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
 * object reloads exactly what it had admitted. An ask retried after its
 * answer was lost carries the same id and is answered, not counted, again.
 */
import { DurableObject } from "cloudflare:workers";
import { AnsweredAsks } from "../../runtime/answered-asks.ts";
import { remainingWith, TIE_MS } from "./gcra.ts";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests still admissible right now. */
  remaining: number;
  /** Seconds until the counter is back to a full `limit` (the RateLimit `t`). */
  reset: number;
  /** The same, in milliseconds and unrounded: async mode keeps a copy of the bucket from it. */
  resetMs: number;
  /** Seconds until the next request would be admitted (0 when allowed). */
  retryAfter: number;
  /** The same, in milliseconds, for callers that keep their own timers. */
  retryAfterMs: number;
}

const TAT_KEY = "tat";

/** NaN or Infinity would poison the stored time for good: they are refused before it is touched. */
function assertCounts(limit: number, windowSeconds: number, count: number, least = 1): void {
  if (!Number.isInteger(limit) || limit < 1 || !Number.isFinite(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError(`limit and window must be positive numbers (got ${limit} per ${windowSeconds} s)`);
  }
  if (!Number.isInteger(count) || count < least) throw new RangeError(`count must be a whole number of at least ${least} (got ${count})`);
}

export class RateLimiter extends DurableObject {
  #tat: number | undefined;
  readonly #answered = new AnsweredAsks<RateDecision>();

  async #load(): Promise<number> {
    if (this.#tat === undefined) {
      const stored = await this.ctx.storage.get<number>(TAT_KEY);
      this.#tat = Number.isFinite(stored) ? stored! : 0;
    }
    return this.#tat;
  }

  #store(tat: number): void {
    this.#tat = tat;
    // Not awaited: the output gate holds the answer until the write is durable.
    void this.ctx.storage.put(TAT_KEY, tat);
  }

  /** Now, the window and interval in ms, and how far the TAT runs ahead of now: the part of the window already spent. */
  async #position(limit: number, windowSeconds: number) {
    const stored = await this.#load();
    const now = Date.now();
    const windowMs = windowSeconds * 1000;
    return { now, windowMs, interval: windowMs / limit, ahead: Math.max(stored - now, 0) };
  }

  /**
   * Strict mode: admits one request if the key has room, and counts it; a refused request is
   * not counted. `already`: requests async mode let through and has not reported yet, counted
   * first as `charge` counts them, so the answer is about this request after them.
   */
  async check(limit: number, windowSeconds: number, ask?: string, already = 0): Promise<RateDecision> {
    assertCounts(limit, windowSeconds, already, 0);
    const { now, windowMs, interval, ahead: before } = await this.#position(limit, windowSeconds);
    const answered = this.#answered.get(ask);
    if (answered) return answered;
    const ahead = Math.min(before + already * interval, windowMs);
    const next = ahead + interval;
    if (next > windowMs + TIE_MS) {
      if (already > 0) this.#store(now + ahead);
      const waitMs = next - windowMs;
      const refused = {
        allowed: false,
        limit,
        remaining: 0,
        reset: Math.ceil(ahead / 1000),
        resetMs: ahead,
        retryAfter: Math.ceil(waitMs / 1000),
        retryAfterMs: waitMs,
      };
      return this.#answered.remember(ask, refused);
    }
    this.#store(now + next);
    const admitted = {
      allowed: true,
      limit,
      remaining: remainingWith(next, windowMs, interval),
      reset: Math.ceil(next / 1000),
      resetMs: next,
      retryAfter: 0,
      retryAfterMs: 0,
    };
    return this.#answered.remember(ask, admitted);
  }

  /**
   * Async mode: counts `count` requests the gateway has already let through.
   * All are counted whatever the room, but the bucket never goes below empty
   * (the TAT never more than a window ahead), so requests let through over
   * the limit cost the key no more than a full bucket would. `allowed` says
   * whether they all fitted; the rest describes the key's next request.
   */
  async charge(limit: number, windowSeconds: number, count: number, ask?: string): Promise<RateDecision> {
    assertCounts(limit, windowSeconds, count);
    const { now, windowMs, interval, ahead } = await this.#position(limit, windowSeconds);
    const answered = this.#answered.get(ask);
    if (answered) return answered;
    const wanted = ahead + count * interval;
    const next = Math.min(wanted, windowMs);
    this.#store(now + next);
    const retryAfterMs = Math.max(0, next + interval - windowMs - TIE_MS);
    return this.#answered.remember(ask, {
      allowed: wanted <= windowMs + TIE_MS,
      limit,
      remaining: remainingWith(next, windowMs, interval),
      reset: Math.ceil(next / 1000),
      resetMs: next,
      retryAfter: Math.ceil(retryAfterMs / 1000),
      retryAfterMs,
    });
  }
}
