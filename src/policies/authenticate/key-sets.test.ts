import { describe, expect, it, onTestFinished, vi } from "vitest";
import { CachedDocument } from "./key-sets.ts";

const noWait = () => {};

describe("CachedDocument: keys fetched once, shared, kept through outages", () => {
  it("shares one load between concurrent callers", async () => {
    let loads = 0;
    const document = new CachedDocument(async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return "keys";
    }, 1000);
    const values = await Promise.all(Array.from({ length: 50 }, () => document.current(noWait)));
    expect(new Set(values)).toEqual(new Set(["keys"]));
    expect(loads).toBe(1);
  });

  it("serves keys older than 10 minutes at once and refreshes them in the background; only a caller with none waits", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    onTestFinished(() => void vi.useRealTimers());
    let release: (value: string) => void = () => {};
    const loads = [async () => "v1", () => new Promise<string>((resolve) => (release = resolve))];
    const document = new CachedDocument(() => loads.shift()!(), 1000);
    expect(await document.current(noWait)).toBe("v1");
    vi.setSystemTime(Date.now() + 11 * 60_000);
    const background: Array<Promise<unknown>> = [];
    // The refresh stays pending until the test releases it: a caller that waited for it would never answer.
    expect(await document.current((promise) => background.push(promise))).toBe("v1");
    expect(background).toHaveLength(1);
    release("v2");
    await Promise.all(background);
    expect(await document.current(noWait)).toBe("v2");
  });

  it("keeps serving the last good keys when a refresh fails (warm isolate)", async () => {
    let fail = false;
    const document = new CachedDocument(async () => {
      if (fail) throw new Error("down");
      return "v1";
    }, 0);
    expect(await document.current(noWait)).toBe("v1");
    fail = true;
    await document.refresh(noWait);
    expect(document.value).toBe("v1");
  });

  it("refuses to fetch again within the cooldown, then recovers on the next healthy fetch", async () => {
    // Time moves only when the test says so: the two early calls are within the cooldown at any machine speed.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    onTestFinished(() => void vi.useRealTimers());
    let healthy = false;
    let loads = 0;
    const document = new CachedDocument(async () => {
      loads++;
      if (!healthy) throw new Error("down");
      return "v2";
    }, 50);
    await expect(document.current(noWait)).rejects.toThrow(/not available/);
    await expect(document.current(noWait)).rejects.toThrow(/not available/);
    expect(loads).toBe(1);
    healthy = true;
    vi.setSystemTime(Date.now() + 49);
    await expect(document.current(noWait)).rejects.toThrow(/not available/);
    expect(loads).toBe(1);
    vi.setSystemTime(Date.now() + 1);
    expect(await document.current(noWait)).toBe("v2");
    expect(loads).toBe(2);
  });
});
