/**
 * The OTLP span exporter against a real collector stand-in (test/support/otlp-receiver.ts):
 * what reaches the collector and how it is encoded, and the bounds the gateway relies on when
 * the collector is down, failing or slow: enqueue returns at once, the queue holds maxQueue
 * spans at most, one POST at a time, every loss counted and logged at most once a minute.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { exporterFor, OtlpExporter, type ExporterOptions, type FinishedSpan } from "../../../src/runtime/telemetry/otlp-exporter.ts";
import { elapse, freezeClockPerTest } from "../../support/clock.ts";

const collector = `http://127.0.0.1:${inject("otlpPort")}`;
const nobodyListening = `http://127.0.0.1:${inject("closedPort")}/v1/traces`;

interface EncodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status?: { code: number };
}

interface OtlpBody {
  resourceSpans: Array<{ resource: { attributes: EncodedSpan["attributes"] }; scopeSpans: Array<{ scope: { name: string }; spans: EncodedSpan[] }> }>;
}

async function control(path: string): Promise<void> {
  const response = await fetch(collector + path, { method: "POST" });
  await response.body?.cancel();
}

async function received(): Promise<OtlpBody[]> {
  return (await (await fetch(`${collector}/control/received`)).json()) as OtlpBody[];
}

/** The bodies the collector has, once it has `count` of them (polled, bounded). */
async function receivedAtLeast(count: number): Promise<OtlpBody[]> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const bodies = await received();
    if (bodies.length >= count) return bodies;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the collector never received ${count} requests`);
}

const spansOf = (bodies: OtlpBody[]) => bodies.flatMap((body) => body.resourceSpans[0].scopeSpans[0].spans);

let spanCount = 0;

function span(overrides: Partial<FinishedSpan> = {}): FinishedSpan {
  const n = ++spanCount;
  return {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: n.toString(16).padStart(16, "0"),
    name: `span ${n}`,
    kind: "internal",
    startTimeMs: 1_700_000_000_000,
    endTimeMs: 1_700_000_000_001,
    attributes: {},
    ...overrides,
  };
}

/** A new exporter, its log lines, and the promises it handed to waitUntil. */
function setUp(options: Partial<ExporterOptions> = {}) {
  const logs: Array<{ message: string; fields: Record<string, unknown> }> = [];
  const pending: Array<Promise<unknown>> = [];
  const exporter = new OtlpExporter({ url: `${collector}/v1/traces`, headers: {}, serviceName: "orders-api", ...options }, (message, fields) =>
    logs.push({ message, fields }),
  );
  const waitUntil = (promise: Promise<unknown>) => void pending.push(promise);
  /** Waits for every promise handed to waitUntil, those handed over meanwhile too. */
  const settle = async () => {
    for (let i = 0; i < pending.length; i++) await pending[i];
  };
  return { exporter, logs, pending, waitUntil, settle };
}

beforeEach(() => control("/control/reset"));
// Answers whatever a slow collector still holds, so no POST outlives its test.
afterEach(() => control("/control/reset"));

describe("a healthy collector", () => {
  it("receives the spans of several requests as OTLP JSON: hex ids, integer kinds and status, typed attributes, nanoseconds as strings, the service name", async () => {
    const { exporter, waitUntil, settle } = setUp({ maxBatch: 2 });
    const root = span({
      spanId: "00f067aa0ba902b7",
      name: "GET /orders/{id}",
      kind: "server",
      startTimeMs: 1_700_000_000_000.25,
      endTimeMs: 1_700_000_000_012.5,
      attributes: { "http.request.method": "GET", "http.response.status_code": 502, "portico.cache.hit": false, "portico.sample.ratio": 0.5 },
      error: true,
    });
    const upstream = span({ spanId: "53995c3f42cd8ad8", parentSpanId: "00f067aa0ba902b7", name: "upstream", kind: "client" });
    const second = span({ traceId: "0af7651916cd43dd8448eb211c80319c", name: "rate-limit" });
    const third = span({ traceId: "a3ce929d0e0e47364bf92f3577b34da6", kind: "server" });

    expect(exporter.enqueue([root, upstream], waitUntil)).toBeUndefined();
    exporter.enqueue([second], waitUntil);
    exporter.enqueue([third], waitUntil);
    await settle();

    const bodies = await received();
    expect(bodies.map((body) => spansOf([body]).length)).toEqual([2, 2]);
    for (const body of bodies) {
      expect(body.resourceSpans).toHaveLength(1);
      expect(body.resourceSpans[0].resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "orders-api" } }]);
      expect(body.resourceSpans[0].scopeSpans.map((scope) => scope.scope)).toEqual([{ name: "portico" }]);
    }
    const [encodedRoot, encodedUpstream, encodedSecond, encodedThird] = spansOf(bodies);
    expect(encodedRoot).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      name: "GET /orders/{id}",
      kind: 2,
      startTimeUnixNano: "1700000000000250000",
      endTimeUnixNano: "1700000000012500000",
      attributes: [
        { key: "http.request.method", value: { stringValue: "GET" } },
        { key: "http.response.status_code", value: { intValue: "502" } },
        { key: "portico.cache.hit", value: { boolValue: false } },
        { key: "portico.sample.ratio", value: { doubleValue: 0.5 } },
      ],
      status: { code: 2 },
    });
    expect(encodedUpstream).toMatchObject({ spanId: "53995c3f42cd8ad8", parentSpanId: "00f067aa0ba902b7", kind: 3, attributes: [] });
    expect(encodedUpstream.status).toBeUndefined();
    expect(encodedSecond).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", kind: 1, startTimeUnixNano: "1700000000000000000" });
    expect(encodedSecond.parentSpanId).toBeUndefined();
    expect(encodedThird).toMatchObject({ traceId: "a3ce929d0e0e47364bf92f3577b34da6", kind: 2 });
    expect([exporter.queued, exporter.dropped]).toEqual([0, 0]);
  });

  it("exporterFor gives one exporter per collector, headers and service, whatever the order of the headers", () => {
    const log = () => {};
    const options = { url: `${collector}/v1/traces`, headers: { authorization: "Bearer a", "x-tenant": "t1" }, serviceName: "cached" };
    const exporter = exporterFor(options, log);
    expect(exporterFor({ ...options, headers: { "x-tenant": "t1", authorization: "Bearer a" } }, log)).toBe(exporter);
    expect(exporterFor({ ...options, serviceName: "other" }, log)).not.toBe(exporter);
    expect(exporterFor({ ...options, headers: { authorization: "Bearer b", "x-tenant": "t1" } }, log)).not.toBe(exporter);
  });
});

describe("a collector that is down or failing", () => {
  it("down: enqueue returns at once and throws nothing; the spans are counted as dropped and one line says so", async () => {
    const { exporter, logs, waitUntil, settle } = setUp({ url: nobodyListening });
    expect(exporter.enqueue([span(), span(), span()], waitUntil)).toBeUndefined();
    // The first batch is in flight: these wait for the next one.
    expect(exporter.enqueue([span(), span()], waitUntil)).toBeUndefined();
    expect(exporter.queued).toBe(2);
    await expect(settle()).resolves.toBeUndefined();
    expect([exporter.queued, exporter.dropped]).toEqual([0, 5]);
    expect(logs).toEqual([{ message: "telemetry spans dropped", fields: { dropped: 3, reason: "collector unreachable" } }]);
  });

  it("answering 500: the batch is dropped, never sent again, and the line gives the status", async () => {
    await control("/control/mode/error");
    const { exporter, logs, waitUntil, settle } = setUp();
    exporter.enqueue([span(), span()], waitUntil);
    await settle();
    expect(await received()).toHaveLength(1);
    expect(exporter.dropped).toBe(2);
    expect(logs).toEqual([{ message: "telemetry spans dropped", fields: { dropped: 2, reason: "collector answered 500" } }]);
  });

  it("not answering within timeoutMs: the batch is dropped as timed out", async () => {
    await control("/control/mode/slow");
    const { exporter, logs, waitUntil, settle } = setUp({ timeoutMs: 100 });
    exporter.enqueue([span()], waitUntil);
    await settle();
    expect(exporter.dropped).toBe(1);
    expect(logs).toEqual([{ message: "telemetry spans dropped", fields: { dropped: 1, reason: "collector timed out" } }]);
  });
});

describe("the dropped-spans line", () => {
  freezeClockPerTest();

  it("comes at most once a minute, and counts what was dropped since the one before", async () => {
    const { exporter, logs, waitUntil, settle } = setUp({ url: nobodyListening });
    const dropAndSettle = async (count: number) => {
      exporter.enqueue(
        Array.from({ length: count }, () => span()),
        waitUntil,
      );
      await settle();
    };
    await dropAndSettle(2);
    await dropAndSettle(3);
    elapse(59_999);
    await dropAndSettle(1);
    expect(logs.map((line) => line.fields)).toEqual([{ dropped: 2, reason: "collector unreachable" }]);
    elapse(1);
    await dropAndSettle(1);
    expect(logs.map((line) => line.fields)).toEqual([
      { dropped: 2, reason: "collector unreachable" },
      { dropped: 5, reason: "collector unreachable" },
    ]);
    expect(exporter.dropped).toBe(7);
  });
});

describe("a slow collector (an answer every 10 s)", () => {
  it("10,000 enqueues each return at once, having queued or dropped their span; the queue never holds more than maxQueue", async () => {
    await control("/control/mode/slow");
    const { exporter, logs, pending, waitUntil, settle } = setUp({ maxQueue: 256, maxBatch: 64, timeoutMs: 60_000 });
    let returnedSomething = 0;
    let unaccounted = 0;
    let mostQueued = 0;
    for (let i = 0; i < 10_000; i++) {
      if (exporter.enqueue([span()], waitUntil) !== undefined) returnedSomething++;
      // Every span so far is queued, dropped, or the one in the POST the collector holds.
      if (exporter.queued + exporter.dropped !== i) unaccounted++;
      mostQueued = Math.max(mostQueued, exporter.queued);
    }
    expect({ returnedSomething, unaccounted, mostQueued }).toEqual({ returnedSomething: 0, unaccounted: 0, mostQueued: 256 });
    expect(exporter.dropped).toBe(10_000 - 1 - 256);
    expect(pending).toHaveLength(1);
    expect(logs).toEqual([{ message: "telemetry spans dropped", fields: { dropped: 1, reason: "queue full" } }]);

    // Once the collector answers, the same waitUntil sends what waits, batch after batch.
    await receivedAtLeast(1);
    await control("/control/mode/healthy");
    await settle();
    expect((await received()).map((body) => spansOf([body]).length)).toEqual([1, 64, 64, 64, 64]);
    expect(exporter.queued).toBe(0);
  });

  it("gets one POST at a time: while it holds the first, no other reaches it", async () => {
    await control("/control/mode/slow");
    const { exporter, waitUntil, settle } = setUp({ maxBatch: 10, timeoutMs: 60_000 });
    const sent: string[] = [];
    const enqueue = () => {
      const spans = [span(), span(), span(), span(), span()];
      sent.push(...spans.map((s) => s.spanId));
      exporter.enqueue(spans, waitUntil);
    };
    enqueue();
    await receivedAtLeast(1);
    // Requests keep coming, each with a turn of the event loop in between.
    for (let request = 0; request < 20; request++) {
      enqueue();
      await received();
    }
    expect(await received()).toHaveLength(1);

    await control("/control/mode/healthy");
    await settle();
    const bodies = await received();
    expect(bodies.every((body) => spansOf([body]).length <= 10)).toBe(true);
    expect(spansOf(bodies).map((s) => s.spanId)).toEqual(sent);
  });
});

describe("a sending chain and the request that carries it", () => {
  freezeClockPerTest();

  it("one request's waitUntil sends for 20 s at most; what still waits goes with the next request's", async () => {
    await control("/control/mode/slow");
    const { exporter, pending, waitUntil, settle } = setUp({ timeoutMs: 60_000 });
    const [first, second, third] = [span(), span(), span()];
    exporter.enqueue([first], waitUntil);
    exporter.enqueue([second], waitUntil);
    await receivedAtLeast(1);
    elapse(20_000);
    await control("/control/mode/healthy");
    await settle();
    expect([exporter.queued, (await received()).length]).toEqual([1, 1]);

    exporter.enqueue([third], waitUntil);
    expect(pending).toHaveLength(2);
    await settle();
    expect((await received()).map((body) => spansOf([body]).map((s) => s.spanId))).toEqual([[first.spanId], [second.spanId, third.spanId]]);
  });

  it("a chain silent long past its timeout (its request cancelled) is replaced, so spans do not wait behind it forever", async () => {
    await control("/control/mode/slow");
    const { exporter, waitUntil, settle } = setUp({ timeoutMs: 60_000 });
    const [first, second, third] = [span(), span(), span()];
    exporter.enqueue([first], waitUntil);
    exporter.enqueue([second], waitUntil);
    await receivedAtLeast(1);
    elapse(120_001);
    exporter.enqueue([third], waitUntil);
    const bodies = await receivedAtLeast(2);
    expect(bodies.map((body) => spansOf([body]).map((s) => s.spanId))).toEqual([[first.spanId], [second.spanId, third.spanId]]);

    await control("/control/mode/healthy");
    await settle();
    expect([exporter.queued, exporter.dropped, (await received()).length]).toEqual([0, 0, 2]);
  });
});
