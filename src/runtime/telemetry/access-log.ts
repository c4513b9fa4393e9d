/**
 * @module
 * The access log: one JSON line per request once its response is known, and
 * for a consumer whose metadata says `debug: true`, a second line with the
 * request's headers and query (credentials and `redact` names masked) and its
 * timings. Neither ever holds a body, a credential or the raw path, whose
 * parameters may be personal data: the route template says where it went.
 */
import { contentLength, declaredLength } from "../body-limit.ts";
import { problemTypeOf } from "../errors.ts";
import { createLogger, writeLine } from "../log.ts";
import type { Logger } from "../types.ts";
import type { TelemetryConfig } from "./config.ts";
import type { RequestTelemetry } from "./request-telemetry.ts";

/** Never logged, whatever the document says: where credentials travel. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"];

/** The last time written, as text: every line of the same millisecond (the Workers' clock moves only on I/O) shares it. */
let shownMs = -1;
let shownTime = "";

function timeNow(): string {
  const now = Date.now();
  if (now !== shownMs) {
    shownMs = now;
    shownTime = new Date(now).toISOString();
  }
  return shownTime;
}

/**
 * The access line, in the order a logger writes its fields: made as one object, as every
 * request writes one. A field left undefined is left out of the line.
 */
function accessLine(telemetry: RequestTelemetry, request: Request, response: Response, durationMs: number) {
  const consumer = telemetry.ctx?.consumer;
  const status = response.status;
  const headers = request.headers;
  return {
    level: "info" as const,
    message: "request",
    requestId: telemetry.ctx?.requestId ?? telemetry.requestId,
    operationId: telemetry.operationId ?? null,
    traceId: telemetry.traceId,
    method: telemetry.method,
    route: telemetry.route ?? null,
    status,
    durationMs,
    upstreamMs: telemetry.upstreamMs,
    bytesIn: contentLength(headers.get("content-length")) ?? 0,
    bytesOut: declaredLength(response) ?? null,
    consumer: consumer?.id ?? null,
    tier: consumer?.tier ?? null,
    client: headers.get("cf-connecting-ip"),
    rateLimit: telemetry.rateLimit,
    cache: telemetry.cache || undefined,
    problem: status >= 400 ? (problemTypeOf(response) ?? telemetry.problem ?? null) : null,
    time: timeNow(),
  };
}

function masked(entries: Iterable<[string, string]>, hidden: Set<string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of entries) shown[name] = hidden.has(name.toLowerCase()) ? "[redacted]" : value;
  return shown;
}

/** A gateway's access log, set up once: the line per request when it is on, the debug line when a consumer asks. */
export class AccessLog {
  readonly #on: boolean;
  readonly #hidden: Set<string>;
  readonly #log: Logger;

  constructor(config: TelemetryConfig, dev: boolean) {
    this.#on = config.accessLog;
    this.#hidden = new Set([...CREDENTIAL_HEADERS, ...config.redact]);
    this.#log = createLogger({}, { readableStacks: dev });
  }

  /** Writes the access line, and the debug line when the consumer asked for one. */
  write(telemetry: RequestTelemetry, request: Request, response: Response, durationMs: number): void {
    const debug = telemetry.ctx?.consumer?.metadata.debug === true;
    if (!this.#on && !debug) return;
    const line = accessLine(telemetry, request, response, durationMs);
    if (this.#on) writeLine(line);
    if (!debug) return;
    this.#log.debug("request detail", {
      requestId: line.requestId,
      traceId: telemetry.traceId,
      consumer: line.consumer,
      headers: masked(request.headers, this.#hidden),
      query: masked(new URL(request.url).searchParams, this.#hidden),
      timings: telemetry.timings,
    });
  }
}
