import type { FromSchema } from "json-schema-to-ts";
import type { Consumer, GatewayContext } from "../../runtime/types.ts";

/**
 * At most this many parts per request. The Workers Free plan allows 50
 * subrequests per request, and the gateway's own (a JWKS, token
 * introspection, telemetry export) count too; past 6 at once, Workers queue
 * a request's connections, so more parts only wait longer.
 */
export const MAX_PARTS = 20;

/** Request values a part's url may name, beyond `${env.NAME}`: what the run-time module fills per request. */
export const REQUEST_SOURCES = ["params", "query", "consumer"] as const;

/** The string fields of ctx.consumer a url may name as `${consumer.x}`. */
export const CONSUMER_FIELDS = ["id", "tier", "scheme"] as const satisfies ReadonlyArray<keyof Consumer>;

const part = {
  type: "object",
  properties: {
    url: {
      type: "string",
      minLength: 1,
      description:
        "URL template of the part. `${env.NAME}` reads a Worker var; `${params.name}` (a path parameter), `${query.name}` (a query parameter the operation declares; empty when absent) and `${consumer.id}` (also `tier`, `scheme`) are percent-encoded and must stand after the host.",
    },
    method: {
      enum: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      default: "GET",
      description: "The method of the subrequest, sent without a body.",
    },
    timeout: {
      type: "integer",
      minimum: 1,
      maximum: 60000,
      default: 10000,
      description: "Milliseconds the part has to answer, body included; after that it has failed.",
    },
    optional: {
      type: "boolean",
      default: false,
      description:
        "The answer goes out without this part when it fails (null in its place, listed in `_failures`); a required part that fails answers a 502 (504 after its timeout) problem.",
    },
    headers: {
      type: "array",
      items: { type: "string", pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
      maxItems: 20,
      default: [],
      description:
        "Headers of the caller's request passed on to this part (Accept-Language, say). None by default: Authorization only when listed here and authentication keeps it (forwardCredentials).",
    },
  },
  required: ["url"],
  additionalProperties: false,
} as const;

/** Options of the `aggregate` handler. */
export const options = {
  type: "object",
  properties: {
    requests: {
      type: "object",
      minProperties: 1,
      maxProperties: MAX_PARTS,
      propertyNames: { pattern: "^[A-Za-z][A-Za-z0-9_-]{0,63}$" },
      additionalProperties: part,
      description:
        "The parts, by name (a letter, then letters, digits, _ or -), all sent at once: each `{ url, method (GET), timeout (ms, 10000), optional (false), headers ([]) }` (src/handlers/aggregate/README.md). The answer is a JSON object with each part's value under its name. At most 20: Workers allow 50 subrequests per request on the Free plan, the gateway's own included.",
    },
    merge: {
      type: "string",
      pattern: "^(\\./)?[^/].*\\.(ts|js|mts|mjs)$",
      description:
        "A module of the project (`policies/merge-dashboard.ts`) whose default export `(parts, { failures, request, ctx })` returns the answer: a Response, or a value sent as JSON. Without it, the parts by name are the answer.",
    },
    maxPartBytes: {
      type: "integer",
      minimum: 1,
      maximum: 4194304,
      default: 1048576,
      description: "The largest body a part may answer with, in bytes; a larger one is cut off there and the part has failed.",
    },
    partialStatus: {
      enum: [200, 203, 207, 500, 502, 503, 504],
      default: 200,
      description: "The status of an answer some optional part is missing from.",
    },
    cacheControl: {
      type: "string",
      minLength: 1,
      default: "no-store",
      description: "The Cache-Control of a whole answer; one a part is missing from is always no-store.",
    },
  },
  required: ["requests"],
  additionalProperties: false,
} as const;

export type AggregateOptions = FromSchema<typeof options>;

/** A piece of a part's url, parsed at build: text as written, or a value filled in. */
export type Segment = string | { from: "env"; name: string } | { from: (typeof REQUEST_SOURCES)[number]; name: string; inPath: boolean };

/** One part as the build prepared it. */
export interface PreparedPart {
  name: string;
  url: Segment[];
  method: string;
  timeout: number;
  optional: boolean;
  /** Caller headers passed on, lower case. */
  headers: string[];
}

/** Why a part failed, as the answer's `_failures` and a problem's `failures` list it. */
export interface PartFailure {
  part: string;
  reason: "unreachable" | "timeout" | "status" | "too-large" | "invalid-json" | "not-json" | "no-consumer";
  /** The upstream's status, when it answered one. */
  status?: number;
  detail: string;
}

/** What a merge module is given besides the parts. */
export interface MergeContext {
  failures: PartFailure[];
  request: Request;
  ctx: GatewayContext;
}

/** A merge module's default export: the parts by name (null where an optional one failed). */
export type MergeFunction = (parts: Record<string, unknown>, context: MergeContext) => unknown;

export interface AggregatePrepared {
  parts: PreparedPart[];
  /** Some url names `${query.x}`: the caller's query is read. */
  readsQuery: boolean;
  merge?: MergeFunction;
}
