/**
 * @module
 * A clock the test moves by hand. Rate-limit windows, quota periods and token
 * expiry are decided by Date.now(); in the test runner the gateway, its Durable
 * Objects (RateLimiter, QuotaCounter) and the test share one isolate and so one
 * Date, so freezing it here freezes theirs, and a burst arrives at one instant at
 * any machine speed. Only Date is faked: timers and I/O keep running.
 */
import { vi } from "vitest";
import { restoreWhenTestEnds } from "./upstream.ts";

export interface TestClock {
  /** The frozen time (epoch ms). */
  now(): number;
  /** Moves time on by `ms`. */
  advance(ms: number): void;
  /** Sets the time (epoch ms or an ISO date). */
  set(at: number | string): void;
  /** Lets Date run again; done by itself at the end of the test it was made in. */
  restore(): void;
}

/**
 * Freezes Date at `at` (epoch ms or an ISO date; the current time by default).
 *
 * @example
 * ```ts
 * const clock = testClock("2026-01-01T00:00:00Z");
 * // ...use up a limit of 10 a minute, then:
 * clock.advance(60_000);
 * ```
 */
export function testClock(at: number | string = Date.now()): TestClock {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date(at) });
  const restore = () => vi.useRealTimers();
  restoreWhenTestEnds(restore);
  return {
    now: () => Date.now(),
    advance: (ms) => vi.setSystemTime(Date.now() + ms),
    set: (time) => vi.setSystemTime(new Date(time)),
    restore,
  };
}
