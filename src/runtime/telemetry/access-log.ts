/**
 * @module
 * The access log: one JSON line per request once its response is known, and
 * for a consumer whose metadata says `debug: true`, a second line with the
 * request's headers and query (credentials and `redact` names masked) and its
 * timings. Neither ever holds a body, a credential or the raw path, whose
 * parameters may be personal data: the route template says where it went.
 */
import { declaredLength } from "../body-limit.ts";
import { problemTypeOf } from "../errors.ts";
import { createLogger } from "../log.ts";
import type { RequestTelemetry } from "./request-telemetry.ts";

/** Never logged, whatever the document says: where credentials travel. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"];

/** The access line's fields (its level, message and time are the logger's). */
export function accessFields(telemetry: RequestTelemetry, request: Request, response: Response, durationMs: number): Record<string, unknown> {
  const consumer = telemetry.ctx?.consumer;
  return {
    requestId: telemetry.ctx?.requestId ?? telemetry.requestId,
    operationId: telemetry.operationId ?? null,
    traceId: telemetry.traceId,
    method: request.method,
    route: telemetry.route ?? null,
    status: response.status,
    durationMs,
    ...(telemetry.upstreamMs === undefined ? {} : { upstreamMs: telemetry.upstreamMs }),
    bytesIn: declaredLength(request) ?? 0,
    bytesOut: declaredLength(response) ?? null,
    consumer: consumer?.id ?? null,
    tier: consumer?.tier ?? null,
    client: request.headers.get("cf-connecting-ip"),
    ...(telemetry.rateLimit ? { rateLimit: telemetry.rateLimit } : {}),
    ...(telemetry.cache ? { cache: telemetry.cache } : {}),
    problem: response.status >= 400 ? (problemTypeOf(response) ?? telemetry.problem ?? null) : null,
  };
}

function masked(entries: Iterable<[string, string]>, hidden: Set<string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of entries) shown[name] = hidden.has(name.toLowerCase()) ? "[redacted]" : value;
  return shown;
}

/** Writes the access line, and the debug line when the consumer asked for one. */
export function writeAccessLog(telemetry: RequestTelemetry, request: Request, response: Response, durationMs: number, dev: boolean): void {
  const fields = accessFields(telemetry, request, response, durationMs);
  const log = createLogger({}, { readableStacks: dev });
  if (telemetry.config.accessLog) log.info("request", fields);
  if (telemetry.ctx?.consumer?.metadata.debug !== true) return;
  const hidden = new Set([...CREDENTIAL_HEADERS, ...telemetry.config.redact]);
  log.debug("request detail", {
    requestId: fields.requestId,
    traceId: telemetry.traceId,
    consumer: fields.consumer,
    headers: masked(request.headers, hidden),
    query: masked(new URL(request.url).searchParams, hidden),
    timings: telemetry.timings,
  });
}
