import { describe, expect, it } from "vitest";
import { Breaker, breakerOf } from "./breaker.ts";

const settings = { failures: 3, window: 10, cooldown: 5 };
const T = 1_700_000_000_000;

/** A breaker opened at `at` by `settings.failures` failures in a row. */
function opened(at = T): Breaker {
  const breaker = new Breaker(settings);
  for (let i = 0; i < settings.failures; i++) breaker.record(breaker.admit(at)!, true, at);
  return breaker;
}

describe("Breaker", () => {
  it("opens at the failures-th failure within the window, and says so once", () => {
    const breaker = new Breaker(settings);
    expect(breaker.record("closed", true, T)).toBe(false);
    expect(breaker.record("closed", true, T + 1000)).toBe(false);
    expect(breaker.admit(T + 2000)).toBe("closed");
    expect(breaker.record("closed", true, T + 2000)).toBe(true);
    expect(breaker.admit(T + 2000)).toBeUndefined();
    expect(breaker.record("closed", true, T + 2000)).toBe(false);
  });

  it("forgets failures older than the window, and is not closed again by successes in between", () => {
    const breaker = new Breaker(settings);
    breaker.record("closed", true, T);
    breaker.record("closed", true, T + 1000);
    breaker.record("closed", false, T + 1500);
    expect(breaker.record("closed", true, T + 10_500)).toBe(false); // the first has left the window
    expect(breaker.record("closed", true, T + 10_600)).toBe(true);
  });

  it("holds requests back until the cooldown ends, telling the seconds left", () => {
    const breaker = opened();
    expect(breaker.admit(T + 4999)).toBeUndefined();
    expect(breaker.available(T + 4999)).toBe(false);
    expect(breaker.retryAfter(T)).toBe(5);
    expect(breaker.retryAfter(T + 4001)).toBe(1);
  });

  it("lets one probe through after the cooldown: its success closes the breaker", () => {
    const breaker = opened();
    expect(breaker.admit(T + 5000)).toBe("probe");
    expect(breaker.admit(T + 5000)).toBeUndefined();
    expect(breaker.available(T + 5000)).toBe(false);
    breaker.record("probe", false, T + 5100);
    expect(breaker.admit(T + 5100)).toBe("closed");
    // Closed afresh: the failures before it opened are not counted again.
    expect(breaker.record("closed", true, T + 5200)).toBe(false);
  });

  it("opens again for a whole cooldown when the probe fails", () => {
    const breaker = opened();
    expect(breaker.admit(T + 5000)).toBe("probe");
    expect(breaker.record("probe", true, T + 6000)).toBe(true);
    expect(breaker.admit(T + 10_999)).toBeUndefined();
    expect(breaker.admit(T + 11_000)).toBe("probe");
  });

  it("frees the probe when it ended without an outcome, or never reported within another cooldown", () => {
    const breaker = opened();
    expect(breaker.admit(T + 5000)).toBe("probe");
    breaker.release("probe");
    expect(breaker.admit(T + 5000)).toBe("probe");
    expect(breaker.admit(T + 9999)).toBeUndefined();
    expect(breaker.admit(T + 10_000)).toBe("probe");
  });

  it("is made again from its stored state, as the shared breaker's Durable Object keeps it", () => {
    const breaker = opened();
    expect(breaker.admit(T + 5000)).toBe("probe");
    const again = new Breaker(settings, structuredClone(breaker.state()));
    expect(again.view(T + 5000)).toEqual({ openUntil: T + 5000, probing: true });
    expect(again.admit(T + 5000)).toBeUndefined();
    again.record("probe", false, T + 5100);
    expect(again.view(T + 5100)).toEqual({ openUntil: 0, probing: false });
  });

  it("opens for a cooldown when told another count opened it, and closes afresh when told a probe elsewhere succeeded", () => {
    const breaker = new Breaker(settings);
    breaker.record("closed", true, T);
    expect(breaker.trip(T + 1000)).toBe(true);
    expect(breaker.trip(T + 2000)).toBe(false);
    expect([breaker.admit(T + 5999), breaker.retryAfter(T + 1000)]).toEqual([undefined, 5]);
    breaker.close();
    expect(breaker.admit(T + 2000)).toBe("closed");
    // The failure before it opened is forgotten: three more are needed.
    expect(breaker.record("closed", true, T + 2000)).toBe(false);
    expect(breaker.record("closed", true, T + 2000)).toBe(false);
    expect(breaker.record("closed", true, T + 2000)).toBe(true);
  });

  it("is one per key in the isolate", () => {
    expect(breakerOf("orders\nhttps://a.example", settings)).toBe(breakerOf("orders\nhttps://a.example", settings));
    expect(breakerOf("orders\nhttps://a.example", settings)).not.toBe(breakerOf("orders\nhttps://b.example", settings));
  });
});
