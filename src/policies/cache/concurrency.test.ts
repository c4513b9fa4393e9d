/**
 * Many requests at once: concurrent misses of one key wait for the first
 * one's answer (and only for an answer they may share), and a stale entry is
 * served while exactly one request refreshes it. Stale arithmetic runs on a
 * frozen Date; the local Cache API keeps entries in real time, for their
 * lifetime plus the stale window (here 660 s), far longer than any test runs.
 */
import { describe, expect, it } from "vitest";
import { COLLAPSED, consumer, fresh, get, HIT, notStored, query, STALE, STORED, upstreamHits } from "../../../test/support/cache-calls.ts";
import { elapse, freezeClockPerTest } from "../../../test/support/clock.ts";
import { InFlight } from "./in-flight.ts";

const sixtySeconds = query({ cc: "max-age=60" });

/** How many answers carried each Cache-Status. */
function tally(answers: Array<{ cacheStatus: string | null }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { cacheStatus } of answers) counts[String(cacheStatus)] = (counts[String(cacheStatus)] ?? 0) + 1;
  return counts;
}

describe("cache: concurrent misses of one key", () => {
  it("100 concurrent GETs of a cold key reach the upstream once, and all get its answer", async () => {
    const key = fresh();
    const answers = await Promise.all(Array.from({ length: 100 }, () => get(`/public/count/${key}${sixtySeconds}`)));
    expect(await upstreamHits(key)).toBe(1);
    expect(answers.every((answer) => answer.status === 200 && answer.body?.hit === 1)).toBe(true);
    const { [STORED]: stored, [COLLAPSED]: collapsed = 0, [HIT]: hits = 0, ...other } = tally(answers);
    expect(stored).toBe(1);
    expect(collapsed + hits).toBe(99);
    expect(other).toEqual({});
  });

  it("1,000 interleaved requests by 10 consumers: no consumer gets another's answer, and each consumer's key reaches the upstream once", async () => {
    const key = fresh();
    const readers = await Promise.all(Array.from({ length: 10 }, consumer));
    let leaks = 0;
    for (let round = 0; round < 10; round++) {
      const asked = Array.from({ length: 100 }, (_, i) => readers[i % 10]);
      const answers = await Promise.all(asked.map((reader) => get(`/private/count/${key}${sixtySeconds}`, { headers: reader.headers })));
      answers.forEach((answer, i) => {
        expect(answer.status).toBe(200);
        if (answer.body?.consumer !== asked[i].id) leaks++;
      });
    }
    expect(leaks).toBe(0);
    expect(await upstreamHits(key)).toBe(10);
  });

  it("never gives the waiting requests a private answer under by: shared: each consumer asks the upstream for its own", async () => {
    const key = fresh();
    const readers = await Promise.all(Array.from({ length: 10 }, consumer));
    const path = `/shared/count/${key}${query({ cc: "private, max-age=60" })}`;
    const answers = await Promise.all(readers.map((reader) => get(path, { headers: reader.headers })));
    answers.forEach((answer, i) => expect(answer.body?.consumer).toBe(readers[i].id));
    expect(tally(answers)).toEqual({ [notStored("private")]: 10 });
    expect(await upstreamHits(key)).toBe(10);
  });

  it("lets each waiting request ask the upstream itself when the first answer is no-store or sets a cookie", async () => {
    for (const [instructions, reason] of [
      [{ cc: "no-store" }, "no-store"],
      [{ cc: "public, max-age=60", cookie: "1" }, "set-cookie"],
    ] as const) {
      const key = fresh();
      const answers = await Promise.all(Array.from({ length: 20 }, () => get(`/public/count/${key}${query(instructions)}`)));
      expect(tally(answers), reason).toEqual({ [notStored(reason)]: 20 });
      expect(new Set(answers.map((answer) => answer.body?.hit)).size, reason).toBe(20);
      expect(await upstreamHits(key), reason).toBe(20);
    }
  });

  it("releases the waiting requests at once when the first one's handler fails", async () => {
    const started = Date.now();
    const key = fresh();
    const answers = await Promise.all(Array.from({ length: 10 }, () => get(`/unreachable/count/${key}`)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(502));
    // Far below the 30 s a waiter would wait for a leader that never answers.
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});

describe("cache: in-flight keys", () => {
  it("tells the waiters how the leader's request went, and forgets the key once it has", async () => {
    const flights = new InFlight(60_000);
    const leader = flights.join("k");
    const waiter = flights.join("k");
    if (!("lead" in leader) || !("wait" in waiter)) throw new Error("the first join leads, the second waits");
    leader.lead("stored");
    leader.lead("alone");
    expect(await waiter.wait).toBe("stored");
    expect(flights.size).toBe(0);
    expect("lead" in flights.join("k")).toBe(true);
  });

  it("lets a waiter go on alone when the leader never settles, and lets the next request lead in its place", async () => {
    const flights = new InFlight(50);
    flights.join("stuck");
    const waiter = flights.join("stuck");
    expect("wait" in waiter && (await waiter.wait)).toBe("alone");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const next = flights.join("stuck");
    expect("lead" in next).toBe(true);
  });
});

describe("cache: stale-while-revalidate", () => {
  freezeClockPerTest();

  it("serves a stale entry while exactly one request refreshes it, then the fresh one", async () => {
    const key = fresh();
    expect((await get(`/refreshed/count/${key}`)).cacheStatus).toBe(STORED);
    elapse(61_000);
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(`/refreshed/count/${key}`)));
    const stale = answers.filter((answer) => answer.cacheStatus === STALE);
    expect(stale.length).toBeGreaterThanOrEqual(1);
    expect(stale.every((answer) => answer.body?.hit === 1 && answer.age === "61")).toBe(true);
    // Any answer that came after the refresh was stored is the fresh one: never a miss, never a second refresh.
    const rest = answers.filter((answer) => answer.cacheStatus !== STALE);
    expect(rest.every((answer) => answer.cacheStatus === HIT && answer.body?.hit === 2)).toBe(true);
    expect(await upstreamHits(key)).toBe(2);
    const after = await get(`/refreshed/count/${key}`);
    expect(after).toMatchObject({ cacheStatus: HIT, age: "0", body: { hit: 2 } });
  });

  it("takes the window from the upstream's stale-while-revalidate, and goes to the upstream past it", async () => {
    const key = fresh();
    const path = `/public/count/${key}${query({ cc: "max-age=60, stale-while-revalidate=30" })}`;
    expect((await get(path)).cacheStatus).toBe(STORED);
    elapse(59_000);
    expect(await get(path)).toMatchObject({ cacheStatus: HIT, age: "59" });
    elapse(2_000);
    expect(await get(path)).toMatchObject({ cacheStatus: STALE, age: "61", body: { hit: 1 } });
    // The refresh above stored the second answer at 61 s; 60 + 30 s after that it is gone.
    elapse(90_000);
    expect(await get(path)).toMatchObject({ cacheStatus: STORED, body: { hit: 3 } });
  });

  it("serves nothing stale without a window, and nothing past it", async () => {
    const plain = fresh();
    await get(`/public/count/${plain}${sixtySeconds}`);
    elapse(60_000);
    expect(await get(`/public/count/${plain}${sixtySeconds}`)).toMatchObject({ cacheStatus: STORED, body: { hit: 2 } });
    const windowed = fresh();
    await get(`/refreshed/count/${windowed}`);
    elapse(660_000);
    expect(await get(`/refreshed/count/${windowed}`)).toMatchObject({ cacheStatus: STORED, body: { hit: 2 } });
  });

  it("answers a stale HEAD without a body and refreshes the entry with a GET", async () => {
    const key = fresh();
    await get(`/refreshed/count/${key}`);
    elapse(61_000);
    expect(await get(`/refreshed/count/${key}`, { method: "HEAD" })).toMatchObject({ cacheStatus: STALE, text: "" });
    expect(await get(`/refreshed/count/${key}`)).toMatchObject({ cacheStatus: HIT, body: { hit: 2 } });
  });
});
