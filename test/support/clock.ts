/**
 * A clock that tests move by hand. Counters decide by Date.now(); in the
 * test runner the Worker, its Durable Objects and the test share one isolate
 * and so one Date, and a test that freezes it gets the same answer at any
 * machine speed: a burst arrives at one instant, and time passes only when
 * the test says so.
 */
import { afterEach, beforeEach, vi } from "vitest";

/**
 * Freezes Date for each test of the file, at `at` or else at the real time the test starts;
 * real timers (setTimeout, I/O) keep running. Tests of calendar periods give a fixed `at`, so
 * a run near a UTC midnight or month end decides as any other.
 */
export function freezeClockPerTest(at?: number): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: at ?? Date.now() });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Moves the frozen clock on by `ms`. */
export function elapse(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}
