/**
 * @module
 * One request's telemetry: its trace, its timings and what the built-ins noted
 * of it (the upstream's time, a rate-limit decision, a cache status), kept
 * beside the request's context. What nobody asked for is not measured: a step
 * is timed only when Server-Timing is on or the request's trace is exported.
 */
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

export class RequestTelemetry {
  readonly startedAt = Date.now();
  readonly traceId: string;
  /** The gateway's server span: the parent of its steps, and of the upstream's span. */
  readonly spanId = randomId(8);
  /** The caller's span, when it sent a traceparent. */
  readonly parentId?: string;
  /** The sampled flag the gateway passes on (and exports by). */
  readonly sampled: boolean;
  /** The spans are exported: traces are configured and this request is sampled. */
  readonly recording: boolean;
  /** Steps are timed: for Server-Timing, or for spans. */
  readonly timing: boolean;
  readonly spans: FinishedSpan[] = [];
  readonly timings: Timing[] = [];
  requestId: string = crypto.randomUUID();
  /** Set once the request matched an operation. */
  ctx?: GatewayContext;
  route?: string;
  operationId?: string;
  upstreamMs?: number;
  rateLimit?: "allowed" | "refused";
  cache?: string;
  /** The type of the problem the pipeline answered with, kept even if an outbound policy copies the response. */
  problem?: string;

  readonly config: TelemetryConfig;

  constructor(config: TelemetryConfig, request: Request) {
    this.config = config;
    const incoming = readTraceparent(request.headers.get("traceparent"));
    this.traceId = incoming?.traceId ?? randomId(16);
    this.parentId = incoming?.parentId;
    const traces = config.traces;
    this.sampled = traces === undefined ? (incoming?.sampled ?? false) : incoming && traces.trustIncoming ? incoming.sampled : Math.random() < traces.sample;
    this.recording = traces !== undefined && this.sampled;
    this.timing = config.serverTiming || this.recording;
  }

  /** Runs `run` as a step of the request: timed and spanned when anyone asked for it, otherwise just run. */
  async step<T>(name: string, kind: FinishedSpan["kind"], attributes: Attributes, run: (spanId: string | undefined) => Promise<T>): Promise<T> {
    if (!this.timing) return run(undefined);
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

const byContext = new WeakMap<GatewayContext, RequestTelemetry>();

export function attachTelemetry(ctx: GatewayContext, telemetry: RequestTelemetry): void {
  byContext.set(ctx, telemetry);
  telemetry.ctx = ctx;
}

/** The request's telemetry; undefined for a context made outside the gateway (a test's). */
export function telemetryOf(ctx: GatewayContext): RequestTelemetry | undefined {
  return byContext.get(ctx);
}

/**
 * Runs `run` as a timed child step of the request (a Durable Object or KV
 * call, say); without telemetry, or when nobody asked for timings, it is just run.
 */
export function measured<T>(ctx: GatewayContext, name: string, kind: FinishedSpan["kind"], run: () => Promise<T>, attributes: Attributes = {}): Promise<T> {
  const telemetry = byContext.get(ctx);
  return telemetry ? telemetry.step(name, kind, attributes, run) : run();
}

/** Notes what a built-in decided, for the access log. */
export function noteRateLimit(ctx: GatewayContext, decision: "allowed" | "refused"): void {
  const telemetry = byContext.get(ctx);
  // A refusal by any limit stands, whatever a later one allowed.
  if (telemetry && telemetry.rateLimit !== "refused") telemetry.rateLimit = decision;
}

export function noteProblem(ctx: GatewayContext, type: string): void {
  const telemetry = byContext.get(ctx);
  if (telemetry) telemetry.problem = type;
}

export function noteCache(ctx: GatewayContext, status: string): void {
  const telemetry = byContext.get(ctx);
  if (telemetry) telemetry.cache = status;
}
