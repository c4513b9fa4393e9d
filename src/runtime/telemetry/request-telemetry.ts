/**
 * @module
 * One request's telemetry: its trace, its timings and what the built-ins noted
 * of it (the upstream's time, a rate-limit decision, a cache status), kept
 * beside the request's context. What nobody asked for is not measured: a step
 * is timed only when Server-Timing is on or the request's trace is exported.
 */
import { TELEMETRY, type KeptContext } from "../context.ts";
import type { GatewayContext } from "../types.ts";
import type { TelemetryConfig } from "./config.ts";
import type { FinishedSpan } from "./otlp-exporter.ts";
import { randomId, readTraceparent } from "./trace-context.ts";

type Attributes = FinishedSpan["attributes"];

/** One timed step, for Server-Timing. */
export interface Timing {
  name: string;
  ms: number;
}

/** What a request that is not timed holds: nothing is ever pushed to it. */
const NOTHING_TIMED: never[] = Object.freeze([]) as never[];

export class RequestTelemetry {
  readonly startedAt: number;
  /** The request's method as sent, read once. */
  readonly method: string;
  readonly traceId: string;
  /** The gateway's server span: the parent of its steps, and of the upstream's span. */
  readonly spanId: string;
  /** The caller's span, when it sent a traceparent. */
  readonly parentId: string | undefined;
  /** The sampled flag the gateway passes on (and exports by). */
  readonly sampled: boolean;
  /** The spans are exported: traces are configured and this request is sampled. */
  readonly recording: boolean;
  /** Steps are timed: for Server-Timing, or for spans. */
  readonly timing: boolean;
  readonly spans: FinishedSpan[];
  readonly timings: Timing[];
  requestId: string;
  /** Set once the request matched an operation. */
  ctx: GatewayContext | undefined = undefined;
  route: string | undefined = undefined;
  operationId: string | undefined = undefined;
  upstreamMs: number | undefined = undefined;
  rateLimit: "allowed" | "refused" | undefined = undefined;
  cache: string | undefined = undefined;
  /** The type of the problem the pipeline answered with, kept even if an outbound policy copies the response. */
  problem: string | undefined = undefined;

  readonly config: TelemetryConfig;

  constructor(config: TelemetryConfig, request: Request) {
    this.startedAt = Date.now();
    this.method = request.method;
    this.config = config;
    this.requestId = crypto.randomUUID();
    const incoming = readTraceparent(request.headers.get("traceparent"));
    if (incoming) {
      this.traceId = incoming.traceId;
      this.spanId = randomId(8);
    } else {
      // One draw for both ids: the trace's 16 bytes, then the span's 8.
      const ids = randomId(24);
      this.traceId = ids.slice(0, 32);
      this.spanId = ids.slice(32);
    }
    this.parentId = incoming?.parentId;
    const traces = config.traces;
    this.sampled = traces === undefined ? (incoming?.sampled ?? false) : incoming && traces.trustIncoming ? incoming.sampled : Math.random() < traces.sample;
    this.recording = traces !== undefined && this.sampled;
    this.timing = config.serverTiming || this.recording;
    this.spans = this.recording ? [] : NOTHING_TIMED;
    this.timings = this.timing ? [] : NOTHING_TIMED;
  }

  /** Runs `run` as a step of the request: timed and spanned when anyone asked for it, otherwise just run. */
  step<T>(name: string, kind: FinishedSpan["kind"], attributes: Attributes, run: (spanId: string | undefined) => Promise<T>): Promise<T> {
    return this.timing ? this.#timed(name, kind, attributes, run) : run(undefined);
  }

  async #timed<T>(name: string, kind: FinishedSpan["kind"], attributes: Attributes, run: (spanId: string | undefined) => Promise<T>): Promise<T> {
    const spanId = randomId(8);
    const start = Date.now();
    let error = false;
    try {
      return await run(spanId);
    } catch (thrown) {
      error = true;
      throw thrown;
    } finally {
      const end = Date.now();
      this.timings.push({ name, ms: end - start });
      if (this.recording) {
        this.spans.push({ traceId: this.traceId, spanId, parentSpanId: this.spanId, name, kind, startTimeMs: start, endTimeMs: end, attributes, error });
      }
    }
  }
}

export function attachTelemetry(ctx: GatewayContext, telemetry: RequestTelemetry): void {
  (ctx as KeptContext)[TELEMETRY] = telemetry;
  telemetry.ctx = ctx;
}

/** The request's telemetry; undefined for a context made outside the gateway (a test's). */
export function telemetryOf(ctx: GatewayContext): RequestTelemetry | undefined {
  return (ctx as KeptContext)[TELEMETRY];
}

/**
 * Runs `run` as a timed child step of the request (a Durable Object or KV
 * call, say); without telemetry, or when nobody asked for timings, it is just run.
 */
export function measured<T>(ctx: GatewayContext, name: string, kind: FinishedSpan["kind"], run: () => Promise<T>, attributes: Attributes = {}): Promise<T> {
  const telemetry = telemetryOf(ctx);
  return telemetry ? telemetry.step(name, kind, attributes, run) : run();
}

/** Notes what a built-in decided, for the access log. */
export function noteRateLimit(ctx: GatewayContext, decision: "allowed" | "refused"): void {
  const telemetry = telemetryOf(ctx);
  // A refusal by any limit stands, whatever a later one allowed.
  if (telemetry && telemetry.rateLimit !== "refused") telemetry.rateLimit = decision;
}

export function noteProblem(ctx: GatewayContext, type: string): void {
  const telemetry = telemetryOf(ctx);
  if (telemetry) telemetry.problem = type;
}

export function noteCache(ctx: GatewayContext, status: string): void {
  const telemetry = telemetryOf(ctx);
  if (telemetry) telemetry.cache = status;
}
