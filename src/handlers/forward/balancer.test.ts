import { describe, expect, it } from "vitest";
import { byWeight, cookieValue, prefer, unitHash, type Balancing } from "./balancer.ts";

/** mulberry32: a seeded sequence in [0, 1), so a run draws the same numbers every time. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** How many of `n` choices went to each target. */
function tally(n: number, choose: (i: number) => number, targets = 2): number[] {
  const counts = new Array<number>(targets).fill(0);
  for (let i = 0; i < n; i++) counts[choose(i)]++;
  return counts;
}

const split: Balancing = { weights: [90, 10], canary: { header: "X-Canary", cookie: "canary", target: 1 }, cookie: "portico-upstream-orders" };
const get = (headers: Record<string, string> = {}) => new Request("https://api.example.com/orders/1", { headers });

describe("byWeight", () => {
  it("splits 10,000 draws 90/10 within 2 points", () => {
    const random = seeded(7);
    const [a, b] = tally(10_000, () => byWeight([90, 10], random()));
    expect(Math.abs(a / 100 - 90)).toBeLessThanOrEqual(2);
    expect(a + b).toBe(10_000);
  });

  it("never draws a target of weight 0, nor one left out, and finds none when those left weigh nothing", () => {
    const random = seeded(11);
    expect(tally(1000, () => byWeight([0, 3, 1], random()), 3)[0]).toBe(0);
    expect(tally(1000, () => byWeight([1, 1, 1], random(), (i) => i !== 1), 3)[1]).toBe(0);
    expect(byWeight([0, 5], 0.3, (i) => i === 0)).toBe(-1);
    expect(byWeight([1, 1], 0.999999999999)).toBe(1);
  });
});

describe("prefer", () => {
  it("draws by weight when nothing pins the request", () => {
    const random = seeded(3);
    const [a] = tally(10_000, () => prefer(split, get(), undefined, random).index);
    expect(Math.abs(a / 100 - 90)).toBeLessThanOrEqual(2);
  });

  it("sends every request with the canary header or cookie set to 1 or true to the canary", () => {
    const random = seeded(5);
    for (const headers of [{ "x-canary": "1" }, { "x-canary": "TRUE" }, { cookie: "a=b; canary=true" }] as Array<Record<string, string>>) {
      expect(
        tally(1000, () => prefer(split, get(headers), undefined, random).index),
        JSON.stringify(headers),
      ).toEqual([0, 1000]);
    }
  });

  it("ignores any other canary value", () => {
    const random = seeded(5);
    for (const headers of [{ "x-canary": "0" }, { "x-canary": "yes" }, { cookie: "canary=2" }, { cookie: "notcanary=1" }] as Array<Record<string, string>>) {
      const [a] = tally(1000, () => prefer(split, get(headers), undefined, random).index);
      expect(a, JSON.stringify(headers)).toBeGreaterThan(800);
    }
  });

  it("keeps a consumer on one target, and shares 10,000 consumers by the weights", () => {
    const sticky: Balancing = { ...split, canary: undefined, sticky: "consumer" };
    const never = () => {
      throw new Error("a consumer's target is not drawn at random");
    };
    expect(prefer(sticky, get(), "alice", never).index).toBe(prefer(sticky, get(), "alice", never).index);
    const [a] = tally(10_000, (i) => prefer(sticky, get(), `consumer-${i}`, never).index);
    expect(Math.abs(a / 100 - 90)).toBeLessThanOrEqual(2);
  });

  it("follows a sticky cookie to its target, unless it names none with traffic of its own", () => {
    const sticky: Balancing = { weights: [1, 1, 0], sticky: "cookie", cookie: "portico-upstream-orders" };
    const random = seeded(9);
    const withCookie = (value: string) => prefer(sticky, get({ cookie: `portico-upstream-orders=${value}` }), undefined, random);
    expect(tally(500, () => withCookie("1").index, 3)).toEqual([0, 500, 0]);
    expect(withCookie("1").cookieTarget).toBe(1);
    for (const value of ["2", "7", "-1", "x"]) expect(withCookie(value).cookieTarget, value).toBeUndefined();
  });
});

describe("unitHash and cookieValue", () => {
  it("hashes into [0, 1), the same text to the same number", () => {
    for (const text of ["", "a", "consumer-1", "consumer-2"]) {
      expect(unitHash(text)).toBeGreaterThanOrEqual(0);
      expect(unitHash(text)).toBeLessThan(1);
      expect(unitHash(text)).toBe(unitHash(text));
    }
    expect(unitHash("consumer-1")).not.toBe(unitHash("consumer-2"));
  });

  it("reads one cookie out of a Cookie header", () => {
    expect(cookieValue("a=1; b=2;c=3", "b")).toBe("2");
    expect(cookieValue("ab=1", "b")).toBeUndefined();
    expect(cookieValue(null, "b")).toBeUndefined();
  });
});
