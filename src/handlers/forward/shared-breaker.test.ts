/**
 * Circuit breakers shared through the CircuitBreakers Durable Object, with a
 * real object and the local upstream of test/support/upstream-groups.ts, on a
 * frozen clock. Two isolates are two envs: each gets its own set-up of the
 * gateway and its own view of the breakers (as each isolate has on
 * Cloudflare), and both reach the same object. call() awaits the background
 * calls (waitUntil) before it returns.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/upstreams/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { elapse, freezeClockPerTest } from "../../../test/support/clock.ts";
import { faultyNamespace, logsOf } from "../../../test/support/faults.ts";
import type { GroupLog } from "../../../test/support/upstream-groups.ts";

freezeClockPerTest();

const hitsOf = async (path: string) => ((await (await fetch(`${env.UPSTREAM_URL}/groups-log?path=${encodeURIComponent(path)}`)).json()) as GroupLog).hits;

/** An isolate: an env of its own whose CIRCUIT_BREAKER reaches the real objects, counting its calls (a fault injector set to fail none). */
function isolate() {
  const counted = faultyNamespace(env.CIRCUIT_BREAKER, "internal", 0);
  return { env: { ...env, CIRCUIT_BREAKER: counted.namespace }, objectCalls: counted.calls };
}

/** `n` GETs of `path` on one isolate, one after the other: their statuses and Retry-After headers. */
async function answers(on: { env: object }, n: number, path: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const response = await call(gateway, path, undefined, on.env);
    if (response.status === 503 && response.headers.has("retry-after")) expect((await problemOf(response)).title).toBe("Service Unavailable");
    else await response.arrayBuffer();
    seen.push(response.headers.has("retry-after") ? `${response.status} ${response.headers.get("retry-after")}` : String(response.status));
  }
  return seen;
}

const times = (n: number, answer: string) => new Array<string>(n).fill(answer);

describe("forward: a circuit breaker shared by all isolates", () => {
  it("opens for both isolates when their failures add up (3 + 2 of 5), then lets exactly one probe through, whose success closes it for both", async () => {
    const path = `/shared/${crypto.randomUUID()}`;
    const a = isolate();
    const b = isolate();
    expect(await answers(a, 3, `${path}?status=503`)).toEqual(times(3, "503"));
    expect(await answers(b, 2, `${path}?status=503`)).toEqual(times(2, "503"));
    // B's second failure made five at the object, whose answer told B: B holds requests back, asking nobody.
    const calls = b.objectCalls();
    expect(await answers(b, 100, path)).toEqual(times(100, "503 15"));
    expect(b.objectCalls()).toBe(calls);
    // A reads the object's view at most once a second while requests flow: the request that reads it goes on.
    elapse(1000);
    expect(await answers(a, 1, path)).toEqual(["200"]);
    expect(await answers(a, 100, path)).toEqual(times(100, "503 14"));
    expect(await answers(b, 100, path)).toEqual(times(100, "503 14"));
    expect(await hitsOf(path)).toBe(6);

    // After the cooldown, requests of both isolates at once: the object hands the probe to one, held by the upstream for a moment.
    elapse(14_000);
    const both = [...times(10, "a"), ...times(10, "b")].map((on) => call(gateway, `${path}?delay=1000`, undefined, on === "a" ? a.env : b.env));
    const statuses = await Promise.all(both.map(async (answer) => (await answer).status));
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 503)).toHaveLength(19);
    expect(await hitsOf(path)).toBe(7);
    const [prober, other] = statuses.indexOf(200) < 10 ? [a, b] : [b, a];
    // Its success closed the breaker: for its own isolate at once, for the other when it next asks, within a second.
    expect(await answers(prober, 5, path)).toEqual(times(5, "200"));
    expect(await answers(other, 1, path)).toEqual(["503 1"]);
    elapse(1000);
    expect(await answers(other, 5, path)).toEqual(times(5, "200"));
    expect(await hitsOf(path)).toBe(17);
  });

  it("falls back to each isolate's own breaker when the object throws, or the binding is missing, and warns once", async () => {
    for (const namespace of [faultyNamespace(env.CIRCUIT_BREAKER, "internal").namespace, undefined]) {
      const path = `/shared-unreachable/${crypto.randomUUID()}`;
      const alone = { env: { ...env, CIRCUIT_BREAKER: namespace } };
      const logs = await logsOf(async () => {
        expect(await answers(alone, 5, `${path}?status=503`)).toEqual(times(5, "503"));
        expect(await answers(alone, 20, path)).toEqual(times(20, "503 15"));
      });
      expect(logs.filter((line) => line.message === "shared circuit breaker unavailable").map((line) => line.level)).toEqual(["warn"]);
      expect(await hitsOf(path)).toBe(5);
      elapse(15_000);
      expect(await answers(alone, 3, path)).toEqual(times(3, "200"));
      expect(await hitsOf(path)).toBe(8);
    }
  });
});
