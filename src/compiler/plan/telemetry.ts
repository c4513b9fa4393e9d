/**
 * @module
 * `x-portico.telemetry`: its schema, and what the build makes of it for the
 * run time (src/runtime/telemetry/config.ts). Access logs are on unless
 * turned off; traces are exported only when a collector is named.
 */
import type { TelemetryConfig } from "../../runtime/telemetry/config.ts";

export const telemetrySchema = {
  type: "object",
  description: "What the gateway tells about the traffic it serves: access log, traces, Server-Timing and usage per consumer (docs/observability.md).",
  properties: {
    accessLog: { type: "boolean", default: true, description: "One JSON line per request once its response is known. Default true." },
    traces: {
      type: "object",
      description: "W3C trace context is always kept and passed upstream; with `otlp`, sampled requests' spans are exported to an OpenTelemetry collector.",
      properties: {
        otlp: { type: "string", minLength: 1, description: "The collector's OTLP/HTTP traces endpoint (…/v1/traces), e.g. ${env.OTLP_TRACES_URL}." },
        headers: {
          type: "object",
          additionalProperties: { type: "string" },
          description: 'Sent with every export, e.g. { authorization: "${env.OTLP_TOKEN}" }.',
        },
        sample: {
          type: "number",
          minimum: 0,
          maximum: 1,
          default: 1,
          description: "The share of requests whose spans are exported (head sampling). Default 1.",
        },
        trustIncoming: {
          type: "boolean",
          default: false,
          description: "Let a caller's sampled flag in traceparent decide. Default false: a client must not be able to force every request to be exported.",
        },
      },
      required: ["otlp"],
      additionalProperties: false,
    },
    serverTiming: {
      enum: ["dev", "always", "off"],
      default: "dev",
      description: "A Server-Timing header with each step's time: under `npm run dev` only (dev, the default), on every response (always), or never.",
    },
    redact: {
      type: "array",
      items: { type: "string", minLength: 1 },
      description:
        "Header and query names never logged, beside the credentials the gateway knows of (Authorization, Cookie, X-API-Key and each API-key scheme's name).",
    },
    usage: {
      type: "string",
      minLength: 1,
      description: "The binding usage per consumer goes to: an Analytics Engine dataset, or a Durable Object namespace of class UsageLedger.",
    },
  },
  additionalProperties: false,
} as const;

export interface TelemetryExtension {
  accessLog?: boolean;
  traces?: { otlp: string; headers?: Record<string, string>; sample?: number; trustIncoming?: boolean };
  serverTiming?: "dev" | "always" | "off";
  redact?: string[];
  usage?: string;
}

/** The names API-key schemes read credentials from: never logged either. */
function credentialNames(document: Record<string, any>): string[] {
  const schemes = Object.values(document.components?.securitySchemes ?? {}) as Array<Record<string, unknown>>;
  return schemes.filter((scheme) => scheme.type === "apiKey" && typeof scheme.name === "string").map((scheme) => String(scheme.name));
}

export function planTelemetry(document: Record<string, any>, dev: boolean): TelemetryConfig {
  const given: TelemetryExtension = document["x-portico"]?.telemetry ?? {};
  const serverTiming = given.serverTiming ?? "dev";
  const traces = given.traces;
  return {
    accessLog: given.accessLog ?? true,
    serverTiming: serverTiming === "always" || (serverTiming === "dev" && dev),
    ...(traces && {
      traces: {
        otlp: traces.otlp,
        headers: traces.headers ?? {},
        sample: traces.sample ?? 1,
        trustIncoming: traces.trustIncoming ?? false,
        serviceName: String(document.info?.title ?? "portico"),
      },
    }),
    redact: [...new Set([...(given.redact ?? []), ...credentialNames(document)].map((name) => name.toLowerCase()))],
  };
}

/** With `usage` set, the usage built-in is derived: last on the way out of every operation, gateway-wide. */
export function usageUse(extension: { telemetry?: TelemetryExtension }): { ref: { use: string; options: { binding: string } }; pointer: string } | undefined {
  const binding = extension.telemetry?.usage;
  return typeof binding === "string" ? { ref: { use: "usage", options: { binding } }, pointer: "/x-portico/telemetry/usage" } : undefined;
}
