/**
 * @module
 * The end of every request's telemetry, once its response is known: the
 * trace headers, Server-Timing, the access log, and the request's spans
 * handed to the exporter (which sends them in the background).
 */
import { withHeaders } from "../context.ts";
import { createLogger } from "../log.ts";
import { resolveEnv } from "../templates.ts";
import { writeAccessLog } from "./access-log.ts";
import { exporterFor } from "./otlp-exporter.ts";
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

interface Finishing {
  request: Request;
  response: Response;
  env: Record<string, unknown>;
  waitUntil: (promise: Promise<unknown>) => void;
  dev: boolean;
}

/** The response with the trace and timing headers; logs and exports what was asked for. Never throws. */
export function finishTelemetry(telemetry: RequestTelemetry, { request, response, env, waitUntil, dev }: Finishing): Response {
  const durationMs = Date.now() - telemetry.startedAt;
  const answered = withHeaders(response, (headers) => {
    headers.set("traceresponse", traceparent(telemetry.traceId, telemetry.spanId, telemetry.sampled));
    if (telemetry.config.serverTiming) headers.set("server-timing", serverTiming(telemetry, durationMs));
  });
  writeAccessLog(telemetry, request, answered, durationMs, dev);
  if (telemetry.recording) exportSpans(telemetry, request, answered, durationMs, env, waitUntil);
  return answered;
}

function exportSpans(
  telemetry: RequestTelemetry,
  request: Request,
  response: Response,
  durationMs: number,
  env: Record<string, unknown>,
  waitUntil: (promise: Promise<unknown>) => void,
): void {
  const traces = telemetry.config.traces!;
  let url: string;
  let headers: Record<string, string>;
  try {
    url = resolveEnv(traces.otlp, env);
    headers = resolveEnv(traces.headers, env);
  } catch {
    return; // no collector to send to without its ${env.X}
  }
  const consumer = telemetry.ctx?.consumer?.id;
  telemetry.spans.push({
    traceId: telemetry.traceId,
    spanId: telemetry.spanId,
    parentSpanId: telemetry.parentId,
    name: telemetry.route ? `${request.method} ${telemetry.route}` : request.method,
    kind: "server",
    startTimeMs: telemetry.startedAt,
    endTimeMs: telemetry.startedAt + durationMs,
    attributes: {
      "http.request.method": request.method,
      ...(telemetry.route ? { "http.route": telemetry.route } : {}),
      "http.response.status_code": response.status,
      "url.path": new URL(request.url).pathname,
      ...(telemetry.operationId ? { "portico.operation_id": telemetry.operationId } : {}),
      ...(consumer ? { "portico.consumer_id": consumer } : {}),
    },
    error: response.status >= 500,
  });
  const log = createLogger({});
  exporterFor({ url, headers, serviceName: traces.serviceName }, (message, fields) => log.warn(message, fields)).enqueue(telemetry.spans, waitUntil);
}
