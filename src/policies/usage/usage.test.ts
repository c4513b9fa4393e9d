import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createContext } from "../../runtime/context.ts";
import type { Consumer, GatewayContext } from "../../runtime/types.ts";
import usageGateway from "../../../test/.generated/usage/app.ts";
import { call } from "../../../test/support/call.ts";
import { elapse, freezeClockPerTest } from "../../../test/support/clock.ts";
import usage from "./index.ts";
import { BATCH_SIZE, LEDGER_NAME } from "./ledger-buffer.ts";
import type { UsageGrouping, UsageRow } from "./report.ts";
import type { UsageLedger } from "./usage-ledger.ts";

// Mid-day, mid-month: the days the test moves through are whole UTC days.
freezeClockPerTest(Date.UTC(2026, 10, 18, 10, 30));
afterEach(() => {
  vi.restoreAllMocks();
});

const DAY_MS = 86_400_000;

/** A context for one request, with what it left running in the background. */
function contextFor(envOf: Record<string, unknown>, operationId: string, consumer?: Consumer) {
  const pending: Array<Promise<unknown>> = [];
  const made = createContext({
    route: { operationId, method: "GET", path: "/things/{id}" },
    params: {},
    env: envOf,
    requestId: crypto.randomUUID(),
    waitUntil: (promise) => void pending.push(promise),
  });
  // When the gateway got the request: now, on the frozen clock.
  const ctx: GatewayContext = Object.assign(made, { startedAt: Date.now() });
  ctx.consumer = consumer;
  return { ctx, pending };
}

const consumer = (id: string, tier?: string): Consumer => ({ id, tier, scopes: [], metadata: {} });

const finishOf = (envOf: Record<string, unknown>, binding: string) =>
  usage.create({ name: "usage", options: { binding }, prepared: undefined, env: envOf }).finish!;

/** An Analytics Engine dataset is an object with writeDataPoint: this one keeps the points it is given (miniflare's local one drops them). */
function recordingDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, dataset: { writeDataPoint: (point?: AnalyticsEngineDataPoint) => void points.push(point!) } };
}

/**
 * The USAGE namespace with the ledger swapped for one of the test's own, and the size of every
 * batch sent to it; a namespace of its own also gets a buffer of its own.
 */
function ledgerOfTest() {
  const ledger = env.USAGE.get(env.USAGE.idFromName(`usage-test-${crypto.randomUUID()}`));
  const batches: number[] = [];
  const namespace = {
    idFromName: (name: string) => {
      expect(name).toBe(LEDGER_NAME);
      return name;
    },
    get: () => ({
      record(points: unknown[]) {
        batches.push(points.length);
        return ledger.record(points as Parameters<UsageLedger["record"]>[0]);
      },
    }),
  };
  return { namespace, batches, ledger };
}

describe("usage: one data point per response", () => {
  it("writes the Analytics Engine point: consumer as index, operation, tier, status class, then the figures", () => {
    const { points, dataset } = recordingDataset();
    const finish = finishOf({ USAGE: dataset }, "USAGE");
    const { ctx } = contextFor({}, "createThing", consumer("acme", "gold"));
    elapse(42);
    const request = new Request("https://api.example.com/things", { method: "POST", body: "x".repeat(17), headers: { "content-length": "17" } });
    const response = new Response('{"id":1}', { status: 201, headers: { "content-length": "8" } });
    expect(finish(response, request, ctx)).toBe(response);
    expect(points).toEqual([{ indexes: ["acme"], blobs: ["createThing", "gold", "2xx", "acme"], doubles: [1, 42, 17, 8, 201] }]);
  });

  it("records an anonymous caller as such, with no tier, and 0 bytes where no length is known", () => {
    const { points, dataset } = recordingDataset();
    const finish = finishOf({ USAGE: dataset }, "USAGE");
    const { ctx } = contextFor({}, "getThing");
    const streamed = new Response(new ReadableStream({ start: (controller) => controller.close() }), { status: 503 });
    finish(streamed, new Request("https://api.example.com/things/1"), ctx);
    expect(points).toEqual([{ indexes: ["anonymous"], blobs: ["getThing", "", "5xx", "anonymous"], doubles: [1, 0, 0, 0, 503] }]);
  });

  it("takes miniflare's Analytics Engine binding for a dataset: nothing is buffered or warned about", () => {
    const warn = vi.spyOn(console, "warn");
    const testEnv = env as unknown as Record<string, unknown>;
    const finish = finishOf(testEnv, "USAGE_EVENTS");
    const { ctx, pending } = contextFor(testEnv, "getThing");
    finish(new Response("ok"), new Request("https://api.example.com/things/1"), ctx);
    expect(pending).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it(`sends the ledger ${BATCH_SIZE} points at a time, the rest 1 s after the first waits; the ledger groups them with the right sums`, async () => {
    const { namespace, batches, ledger } = ledgerOfTest();
    const finish = finishOf({ USAGE: namespace }, "USAGE");
    const operations = ["listThings", "getThing", "putThing"];
    const statuses = [200, 200, 201, 404, 500, 302];
    const callers = [consumer("acme", "gold"), consumer("beta"), undefined];
    const sent: Array<{ operation: string; status: number; consumer: string; day: string; latency: number; bytesIn: number; bytesOut: number }> = [];
    const pending: Array<Promise<unknown>> = [];
    for (let i = 0; i < 250; i++) {
      if (i === 90 || i === 200) elapse(DAY_MS);
      const operation = operations[i < 120 ? 0 : i < 200 ? 1 : 2];
      const caller = callers[i % 3];
      const status = statuses[i % 6];
      const latency = i % 50;
      const bytesIn = i % 5 === 0 ? 0 : i;
      const bytesOut = 2 * i;
      const { ctx, pending: left } = contextFor({}, operation, caller);
      elapse(latency);
      const headers: HeadersInit = bytesIn > 0 ? { "content-length": String(bytesIn) } : {};
      finish(new Response(null, { status, headers: { "content-length": String(bytesOut) } }), new Request("https://api.example.com/", { headers }), ctx);
      pending.push(...left);
      const day = new Date(Date.now()).toISOString().slice(0, 10);
      sent.push({ operation, status, consumer: caller?.id ?? "anonymous", day, latency, bytesIn, bytesOut });
    }
    expect(batches, "the first two batches go as they fill up").toEqual([100, 100]);
    // Only Date stands still: the batch's timer runs on real time.
    const started = performance.now();
    await Promise.all(pending);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(batches).toEqual([100, 100, 50]);

    /** What the ledger should answer, summed here from what was sent. */
    const expected = (key: (point: (typeof sent)[number]) => string): UsageRow[] => {
      const groups = Map.groupBy(sent, key);
      const inClass = (points: typeof sent, digit: number) => points.filter((point) => Math.floor(point.status / 100) === digit).length;
      const sum = (points: typeof sent, field: "latency" | "bytesIn" | "bytesOut") => points.reduce((total, point) => total + point[field], 0);
      return [...groups]
        .map(([group, points]) => ({
          group,
          requests: points.length,
          status2xx: inClass(points, 2),
          status4xx: inClass(points, 4),
          status5xx: inClass(points, 5),
          avgLatencyMs: Math.round((sum(points, "latency") / points.length) * 10) / 10,
          bytesIn: sum(points, "bytesIn"),
          bytesOut: sum(points, "bytesOut"),
        }))
        .sort((a, b) => b.requests - a.requests || (a.group < b.group ? -1 : 1));
    };
    const keys: Record<UsageGrouping, (point: (typeof sent)[number]) => string> = {
      operation: (point) => point.operation,
      status: (point) => `${Math.floor(point.status / 100)}xx`,
      day: (point) => point.day,
      consumer: (point) => point.consumer,
    };
    const since = Date.UTC(2026, 10, 18);
    for (const by of ["operation", "status", "day", "consumer"] as const) {
      const report = await ledger.query({ since, by });
      expect(report.rows, by).toEqual(expected(keys[by]));
    }
    expect((await ledger.query({ since, by: "day" })).rows.map(({ group, requests }) => [group, requests])).toEqual([
      ["2026-11-19", 110],
      ["2026-11-18", 90],
      ["2026-11-20", 50],
    ]);
  });
});

describe("usage never gets in the response's way", () => {
  const hostile = new Proxy(
    {},
    {
      get() {
        throw new Error("hostile binding");
      },
    },
  );
  const rejectingLedger = {
    idFromName: () => "usage",
    get: () => ({ record: () => Promise.reject(new Error("ledger overloaded")) }),
  };
  const bindings: Record<string, unknown> = {
    "a dataset whose writeDataPoint throws": {
      writeDataPoint() {
        throw new Error("dataset gone");
      },
    },
    "a namespace whose idFromName throws": {
      idFromName() {
        throw new Error("no such object");
      },
    },
    "a ledger that refuses the batch": rejectingLedger,
    "a binding that throws when looked at": hostile,
    "a string": "USAGE",
  };

  for (const [what, binding] of Object.entries(bindings)) {
    it(`with ${what}: the same response comes back, and the background work settles`, async () => {
      const finish = finishOf({ USAGE: binding }, "USAGE");
      const pending: Array<Promise<unknown>> = [];
      for (let i = 0; i < BATCH_SIZE; i++) {
        const { ctx, pending: left } = contextFor({}, "getThing", consumer("acme"));
        const response = new Response("ok");
        expect(finish(response, new Request("https://api.example.com/things/1"), ctx)).toBe(response);
        pending.push(...left);
      }
      await expect(Promise.all(pending)).resolves.toBeDefined();
    });
  }

  it("at the gateway, with a binding that throws however it is touched: the operation answers as ever", async () => {
    const response = await call(usageGateway, "/things/1", {}, { ...env, USAGE: hostile });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "42", name: "thing" });
  });

  it("says once per isolate that a binding which is no store records nothing", () => {
    const warn = vi.spyOn(console, "warn");
    const binding = `NO_SUCH_BINDING_${crypto.randomUUID().replaceAll("-", "")}`;
    for (let i = 0; i < 3; i++) {
      const finish = finishOf({}, binding);
      finish(new Response("ok"), new Request("https://api.example.com/things/1"), contextFor({}, "getThing").ctx);
    }
    const lines = warn.mock.calls.map(([line]) => JSON.parse(String(line)) as { message: string; binding: string });
    expect(lines.filter((line) => line.binding === binding)).toEqual([expect.objectContaining({ message: "usage is not recorded" })]);
  });
});
