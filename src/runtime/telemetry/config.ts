/**
 * @module
 * What the build makes of `x-portico.telemetry`: the data every request's
 * telemetry is prepared from (see request-telemetry.ts).
 */

export interface TracesConfig {
  /** The collector's OTLP/HTTP traces endpoint; `${env.X}` still in it until the env is known. */
  otlp: string;
  headers: Record<string, string>;
  /** Head sampling ratio, 0 to 1. */
  sample: number;
  /** Whether a caller's sampled flag decides (otherwise only `sample` does: a caller must not force export). */
  trustIncoming: boolean;
  /** The resource's service.name: the document's info.title. */
  serviceName: string;
}

export interface TelemetryConfig {
  /** One JSON line per request. */
  accessLog: boolean;
  /** A Server-Timing header on every response. */
  serverTiming: boolean;
  traces?: TracesConfig;
  /** Header and query names never logged (lower case), beside the credentials the gateway knows of. */
  redact: string[];
}

/** A route table built without telemetry (tests that build one by hand). */
export const NO_TELEMETRY: TelemetryConfig = { accessLog: false, serverTiming: false, redact: [] };
