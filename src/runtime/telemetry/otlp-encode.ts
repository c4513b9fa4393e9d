/**
 * @module
 * Finished spans as an OTLP/HTTP JSON body (opentelemetry-proto, "JSON Protobuf
 * Encoding"): ids as lowercase hex, 64-bit integers as decimal strings, enums as
 * their integer values.
 */

/** A span as the gateway hands it over once it has ended. */
export interface FinishedSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** 16 lowercase hex digits; absent on a trace's root span. */
  parentSpanId?: string;
  name: string;
  kind: "server" | "client" | "internal";
  /** Epoch milliseconds (Date.now() based; may have fractions). */
  startTimeMs: number;
  endTimeMs: number;
  attributes: Record<string, string | number | boolean>;
  error?: boolean;
}

/** opentelemetry.proto.trace.v1.Span.SpanKind */
const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;

/** opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR */
const STATUS_CODE_ERROR = 2;

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number | string } | { boolValue: boolean };

function anyValue(value: string | number | boolean): AnyValue {
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value !== "number") return { stringValue: String(value) };
  if (Number.isSafeInteger(value)) return { intValue: String(value) };
  // The proto3 JSON mapping spells a non-finite double as a string; JSON has no literal for it.
  return { doubleValue: Number.isFinite(value) ? value : String(value) };
}

function attributes(record: Record<string, string | number | boolean>) {
  return Object.entries(record).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/**
 * Epoch milliseconds as nanoseconds, written as a string as the mapping writes every 64-bit
 * integer: as a JSON number, 19 digits would be rounded by most parsers. A product this large
 * is a whole number, printed in full below 1e21 (the year 33658).
 */
function unixNano(ms: number): string {
  return Number.isFinite(ms) ? String(Math.round(ms * 1e6)) : "0";
}

function span(finished: FinishedSpan) {
  return {
    traceId: finished.traceId,
    spanId: finished.spanId,
    ...(finished.parentSpanId ? { parentSpanId: finished.parentSpanId } : {}),
    name: finished.name,
    kind: SPAN_KIND[finished.kind],
    startTimeUnixNano: unixNano(finished.startTimeMs),
    endTimeUnixNano: unixNano(finished.endTimeMs),
    attributes: attributes(finished.attributes),
    ...(finished.error ? { status: { code: STATUS_CODE_ERROR } } : {}),
  };
}

/**
 * Returns the encoder of one service's batches. The envelope around the spans (resource,
 * scope) is the same in every batch, so it is serialised here once.
 */
export function otlpEncoder(serviceName: string): (spans: FinishedSpan[]) => string {
  const resource = JSON.stringify({ attributes: attributes({ "service.name": serviceName }) });
  const before = `{"resourceSpans":[{"resource":${resource},"scopeSpans":[{"scope":{"name":"portico"},"spans":`;
  const after = "}]}]}";
  return (spans) => before + JSON.stringify(spans.map(span)) + after;
}
