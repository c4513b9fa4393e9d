/**
 * @module
 * The end of every request's telemetry, once its response is known: the
 * trace headers, Server-Timing, the access log, and the request's spans
 * handed to the exporter (which sends them in the background). What this
 * needs of the gateway's settings is made once: the access log when the
 * gateway is made, the collector once per env.
 */
import { withHeader, type WaitUntil } from "../context.ts";
import { createLogger } from "../log.ts";
import { resolveEnv } from "../templates.ts";
import { AccessLog } from "./access-log.ts";
import type { TelemetryConfig, TracesConfig } from "./config.ts";
import { exporterFor, type OtlpExporter } from "./otlp-exporter.ts";
import type { RequestTelemetry, Timing } from "./request-telemetry.ts";
import { traceparent } from "./trace-context.ts";

/** A Server-Timing metric name is a token; a module path such as ./policies/x.ts is not, so it goes in desc. */
function metric({ name, ms }: Timing): string {
  const token = name.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, "-");
  return `${token}${token === name ? "" : `;desc="${name.replace(/["\\]/g, "")}"`};dur=${ms}`;
}

/** The whole request, then each step in the order it ended (the upstream's call inside its handler's). */
export function serverTiming(telemetry: RequestTelemetry, durationMs: number): string {
  return [`total;dur=${durationMs}`, ...telemetry.timings.map(metric)].join(", ");
}

/** The exporter of the collector an env names; undefined when a `${env.X}` of it is missing there. */
function collectorOf(traces: TracesConfig, env: Record<string, unknown>): OtlpExporter | undefined {
  let url: string;
  let headers: Record<string, string>;
  try {
    url = resolveEnv(traces.otlp, env);
    headers = resolveEnv(traces.headers, env);
  } catch {
    return undefined; // no collector to send to without its ${env.X}
  }
  const log = createLogger({});
  return exporterFor({ url, headers, serviceName: traces.serviceName }, (message, fields) => log.warn(message, fields));
}

/** What a gateway tells of each request it answered, per its telemetry settings. */
export class TelemetryOutput {
  readonly #config: TelemetryConfig;
  readonly #accessLog: AccessLog;
  /** The collector of the last env seen (workerd hands one env to every request of an isolate). */
  #collectorEnv: object | undefined = undefined;
  #collector: OtlpExporter | undefined = undefined;

  constructor(config: TelemetryConfig, dev: boolean) {
    this.#config = config;
    this.#accessLog = new AccessLog(config, dev);
  }

  /** The response with the trace and timing headers; logs and exports what was asked for. Never throws. */
  finish(telemetry: RequestTelemetry, request: Request, response: Response, env: Record<string, unknown>, waitUntil: WaitUntil): Response {
    const durationMs = Date.now() - telemetry.startedAt;
    const answered = withHeader(response, "traceresponse", traceparent(telemetry.traceId, telemetry.spanId, telemetry.sampled));
    if (this.#config.serverTiming) answered.headers.set("server-timing", serverTiming(telemetry, durationMs));
    this.#accessLog.write(telemetry, request, answered, durationMs);
    if (telemetry.recording) this.#exportSpans(telemetry, request, answered, durationMs, env, waitUntil);
    return answered;
  }

  #exportSpans(
    telemetry: RequestTelemetry,
    request: Request,
    response: Response,
    durationMs: number,
    env: Record<string, unknown>,
    waitUntil: WaitUntil,
  ): void {
    if (this.#collectorEnv !== env) {
      this.#collector = collectorOf(this.#config.traces!, env);
      this.#collectorEnv = env;
    }
    const collector = this.#collector;
    if (!collector) return;
    const consumer = telemetry.ctx?.consumer?.id;
    telemetry.spans.push({
      traceId: telemetry.traceId,
      spanId: telemetry.spanId,
      parentSpanId: telemetry.parentId,
      name: telemetry.route ? `${telemetry.method} ${telemetry.route}` : telemetry.method,
      kind: "server",
      startTimeMs: telemetry.startedAt,
      endTimeMs: telemetry.startedAt + durationMs,
      attributes: {
        "http.request.method": telemetry.method,
        ...(telemetry.route ? { "http.route": telemetry.route } : {}),
        "http.response.status_code": response.status,
        "url.path": new URL(request.url).pathname,
        ...(telemetry.operationId ? { "portico.operation_id": telemetry.operationId } : {}),
        ...(consumer ? { "portico.consumer_id": consumer } : {}),
      },
      error: response.status >= 500,
    });
    collector.enqueue(telemetry.spans, waitUntil);
  }
}
