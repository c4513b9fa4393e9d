import { describe, expect, it } from "vitest";
import { createContext } from "./context.ts";
import { askCounter } from "./ask-counter.ts";

const ctx = () => createContext({ route: { operationId: "t", method: "GET", path: "/" }, params: {}, env: {}, requestId: "r", waitUntil: () => {} });
const decision = { allowed: true, limit: 1, remaining: 0, reset: 1, retryAfter: 0 };
const failing = (flags: { retryable?: boolean; overloaded?: boolean }) => Object.assign(new Error("durable object error"), flags);

describe("askCounter: what a failing Durable Object call leads to (F6)", () => {
  it("retries once an error the platform marks retryable", async () => {
    let calls = 0;
    const answer = await askCounter(async () => (++calls === 1 ? Promise.reject(failing({ retryable: true })) : decision), ctx());
    expect(answer).toEqual(decision);
    expect(calls).toBe(2);
  });

  it("gives the retry the first attempt's id, so an object that counted the first answers the retry without counting it", async () => {
    const ids: string[] = [];
    await askCounter(async (id) => (ids.push(id), ids.length === 1 ? Promise.reject(failing({ retryable: true })) : decision), ctx());
    await askCounter(async (id) => (ids.push(id), decision), ctx());
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it("never retries an overloaded object, nor an error without the flag, nor twice", async () => {
    for (const flags of [{ retryable: true, overloaded: true }, {}, { retryable: false }]) {
      let calls = 0;
      expect(await askCounter(async () => (calls++, Promise.reject(failing(flags))), ctx())).toBeUndefined();
      expect(calls).toBe(1);
    }
    let calls = 0;
    expect(await askCounter(async () => (calls++, Promise.reject(failing({ retryable: true }))), ctx())).toBeUndefined();
    expect(calls).toBe(2);
  });
});
