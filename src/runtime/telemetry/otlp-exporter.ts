/**
 * @module
 * Sends the gateway's finished spans to an OpenTelemetry collector (OTLP/HTTP JSON) after
 * the response, through waitUntil, within fixed bounds: at most maxQueue spans held, one
 * POST in flight, a failed batch dropped and counted, never retried.
 *
 * Written by hand: @microlabs/otel-cf-workers and @opentelemetry/otlp-transformer bring the
 * OpenTelemetry SDK (trace, metrics, logs, resources) into the Worker bundle, for a JSON
 * encoding that fits in otlp-encode.ts.
 */
import { otlpEncoder, type FinishedSpan } from "./otlp-encode.ts";

export type { FinishedSpan } from "./otlp-encode.ts";

export interface ExporterOptions {
  /** The collector's OTLP/HTTP traces endpoint (…/v1/traces). */
  url: string;
  /** Sent with every POST, e.g. authorization. */
  headers: Record<string, string>;
  /** The `service.name` resource attribute. */
  serviceName: string;
  /** Spans held at most; default 2048. */
  maxQueue?: number;
  /** Spans per POST at most; default 512. */
  maxBatch?: number;
  /** Per POST; default 5000. */
  timeoutMs?: number;
}

export type ExporterLog = (message: string, fields: Record<string, unknown>) => void;

type DropReason = "queue full" | "collector unreachable" | "collector timed out" | `collector answered ${number}`;

/** A collector that is down drops every batch: one line a minute says so, with the count. */
const DROP_REPORT_INTERVAL_MS = 60_000;

/**
 * Workers cancel a waitUntil 30 s after the response, and a cancelled chain takes its batch
 * with it. So one request's waitUntil sends for this long at most; what waits then goes out
 * with the next request's.
 */
const CHAIN_BUDGET_MS = 20_000;

export class OtlpExporter {
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #encode: (spans: FinishedSpan[]) => string;
  readonly #maxQueue: number;
  readonly #maxBatch: number;
  readonly #timeoutMs: number;
  readonly #log: ExporterLog;
  readonly #queue: FinishedSpan[] = [];
  /** The chain now sending; a chain given up for lost stops if it ever wakes. */
  #chain = 0;
  #sending = false;
  #postStartedAt = 0;
  #dropped = 0;
  #unreported = 0;
  #reportedAt = -Infinity;

  constructor(options: ExporterOptions, log: ExporterLog) {
    this.#url = options.url;
    const own = Object.entries(options.headers).filter(([name]) => name.toLowerCase() !== "content-type");
    this.#headers = { ...Object.fromEntries(own), "content-type": "application/json" };
    this.#encode = otlpEncoder(options.serviceName);
    this.#maxQueue = options.maxQueue ?? 2048;
    this.#maxBatch = options.maxBatch ?? 512;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#log = log;
  }

  /** Spans waiting now. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Spans dropped since the isolate started: the queue was full, or the collector refused their batch or did not answer in time. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues the spans of one request and, unless a POST is in flight, starts sending through `waitUntil`. Returns at once, never throws. */
  enqueue(spans: FinishedSpan[], waitUntil: (promise: Promise<unknown>) => void): void {
    try {
      const room = Math.max(0, this.#maxQueue - this.#queue.length);
      for (let i = 0; i < spans.length && i < room; i++) this.#queue.push(spans[i]);
      if (spans.length > room) this.#drop(spans.length - room, "queue full");
      if (this.#queue.length === 0 || (this.#sending && !this.#stalled())) return;
      waitUntil(this.#send(++this.#chain));
    } catch {
      // Telemetry never fails the request it describes.
    }
  }

  /**
   * A POST ends by its timeout at the latest, so a chain still sending long after that was
   * cancelled with its request (a waitUntil past its time) and will never clear `#sending`.
   */
  #stalled(): boolean {
    return Date.now() - this.#postStartedAt > 2 * this.#timeoutMs;
  }

  async #send(chain: number): Promise<void> {
    this.#sending = true;
    const until = Date.now() + CHAIN_BUDGET_MS;
    while (chain === this.#chain && this.#queue.length > 0 && Date.now() < until) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#postStartedAt = Date.now();
      const failure = await this.#post(batch);
      if (failure) this.#drop(batch.length, failure);
    }
    if (chain === this.#chain) this.#sending = false;
  }

  /** Sends one batch; returns why it was lost, if it was. */
  async #post(batch: FinishedSpan[]): Promise<DropReason | undefined> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await fetch(this.#url, { method: "POST", headers: this.#headers, body: this.#encode(batch), signal });
      // Nothing in the answer's body changes what happens next (a partial success is not retried either).
      await response.body?.cancel().catch(() => {});
      return response.ok ? undefined : `collector answered ${response.status}`;
    } catch {
      return signal.aborted ? "collector timed out" : "collector unreachable";
    }
  }

  #drop(count: number, reason: DropReason): void {
    this.#dropped += count;
    this.#unreported += count;
    const now = Date.now();
    if (now - this.#reportedAt < DROP_REPORT_INTERVAL_MS) return;
    this.#reportedAt = now;
    const dropped = this.#unreported;
    this.#unreported = 0;
    try {
      this.#log("telemetry spans dropped", { dropped, reason });
    } catch {
      // A logger that throws must not stop the sending.
    }
  }
}

const exporters = new Map<string, OtlpExporter>();

/**
 * The isolate's exporter for one collector and service, made on the first call: its queue,
 * its one POST in flight and its counts are shared by every request the isolate serves. The
 * first call's limits and `log` are the ones kept.
 */
export function exporterFor(options: ExporterOptions, log: ExporterLog): OtlpExporter {
  const headers = Object.entries(options.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = JSON.stringify([options.url, headers, options.serviceName]);
  let exporter = exporters.get(key);
  if (!exporter) exporters.set(key, (exporter = new OtlpExporter(options, log)));
  return exporter;
}
