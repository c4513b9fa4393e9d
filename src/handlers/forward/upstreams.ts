import type { FromSchema } from "json-schema-to-ts";

/** RFC 9110 §9.2.2 (and OPTIONS, safe): sending these twice does no more than once. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/** The statuses and failures retried (and counted by a circuit breaker) when `retries.on` is not written. */
export const DEFAULT_RETRY_ON = [502, 503, 504, "network"] as const;

const target = {
  type: "object",
  description: "One upstream of the group: a base URL, or a service binding. Exactly one of url and service.",
  properties: {
    url: {
      type: "string",
      minLength: 1,
      description:
        "Base URL of the target (`${env.NAME}` reads a Worker var); the operation's path is appended to it, its `{name}` segments filled with the path parameters, percent-encoded.",
    },
    service: {
      type: "string",
      minLength: 1,
      description: "Name of a service binding (wrangler.toml `[[services]]`): the request goes to env[NAME].fetch, with the operation's path.",
    },
    weight: {
      type: "number",
      minimum: 0,
      default: 1,
      description: "Share of the traffic, relative to the other targets' weights. 0: reached only as the canary.",
    },
  },
  additionalProperties: false,
} as const;

const group = {
  type: "object",
  description: "One named group of upstream targets.",
  properties: {
    targets: { type: "array", minItems: 1, items: target, description: "The targets; the weights share the traffic between them." },
    canary: {
      type: "object",
      description: "A request with the header or cookie set to 1 or true goes to the canary target (any other value is ignored).",
      properties: {
        header: { type: "string", pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", description: "Request header that pins the canary, such as X-Canary." },
        cookie: { type: "string", pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", description: "Cookie that pins the canary." },
        target: { type: "integer", minimum: 0, description: "Index of the canary in targets, from 0." },
      },
      required: ["target"],
      additionalProperties: false,
    },
    sticky: {
      enum: ["consumer", "cookie"],
      description:
        "Keeps a caller on one target. consumer: the consumer's id (set by authentication) chooses it, by the weights. cookie: the first answer sets a cookie naming the target, and later requests that send it go there.",
    },
    retries: {
      type: "object",
      description:
        "Tries again, on another choice of target, when an attempt fails: only GET, HEAD, PUT, DELETE and OPTIONS, or a request with an Idempotency-Key header, and all attempts within forward's timeout.",
      properties: {
        attempts: { type: "integer", minimum: 0, maximum: 10, description: "Retries after the first try." },
        on: {
          type: "array",
          minItems: 1,
          uniqueItems: true,
          items: { oneOf: [{ type: "integer", minimum: 400, maximum: 599 }, { const: "network" }] },
          default: [...DEFAULT_RETRY_ON],
          description: "Upstream statuses that are retried, and `network` for an upstream that cannot be reached. A circuit breaker counts the same failures.",
        },
        backoff: {
          type: "object",
          description:
            "The wait before each retry: a random time up to base × 2^retry, at most max (full jitter). An upstream's Retry-After is waited instead.",
          properties: {
            base: { type: "integer", minimum: 1, maximum: 60000, default: 50, description: "Milliseconds: the bound of the first wait." },
            max: { type: "integer", minimum: 1, maximum: 60000, default: 1000, description: "Milliseconds: the bound no wait goes over." },
          },
          additionalProperties: false,
          default: {},
        },
      },
      required: ["attempts"],
      additionalProperties: false,
    },
    circuitBreaker: {
      type: "object",
      description:
        "Stops sending requests to a target that keeps failing (per target, in each Worker isolate unless `shared`): open after `failures` within `window` seconds, for `cooldown` seconds; then one request tries it again.",
      properties: {
        failures: { type: "integer", minimum: 1, maximum: 1000, default: 5, description: "Failures within the window that open the breaker." },
        window: { type: "integer", minimum: 1, maximum: 3600, default: 30, description: "Seconds over which failures are counted." },
        cooldown: {
          type: "integer",
          minimum: 1,
          maximum: 3600,
          default: 15,
          description: "Seconds the breaker stays open before one request tries the target again.",
        },
        shared: {
          type: "boolean",
          default: false,
          description:
            "Counts failures over all the gateway's isolates in a Durable Object (the CircuitBreakers class), so the breaker opens for all of them together, and after the cooldown one request in all of them probes. Requests to a closed breaker never wait on it; an isolate hears of an opening within about a second.",
        },
        binding: {
          type: "string",
          pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
          default: "CIRCUIT_BREAKER",
          description: "The Durable Object namespace binding of the CircuitBreakers class (wrangler.toml), used when `shared` is true.",
        },
      },
      additionalProperties: false,
    },
    maxResponseBytes: {
      type: "integer",
      minimum: 1,
      description:
        "The largest upstream answer passed on, in bytes: a larger Content-Length is answered 502 before any of it is sent; a body without one is cut off where it passes the bound.",
    },
  },
  required: ["targets"],
  additionalProperties: false,
} as const;

/** The root `x-portico.upstreams` key, owned by forward. */
export const upstreamsSchema = {
  type: "object",
  description:
    "Named groups of upstream targets that forward sends to with `upstream: <name>`: weights, canary, sticky, retries, circuitBreaker, maxResponseBytes. See docs/policies.md#upstream-groups.",
  propertyNames: { pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" },
  additionalProperties: group,
} as const;

export type UpstreamGroup = FromSchema<typeof group>;
export type UpstreamTarget = FromSchema<typeof target>;

/** What the build gives forward's run-time module for a group: its targets' URLs already made for the operation. */
export interface PreparedGroup {
  /** The group's name: with each target's address, the key of its circuit breaker. */
  name: string;
  /** A base URL or a service binding's name; `path` is the operation's path as a template, sent to either. */
  targets: Array<({ url: string; service?: undefined } | { service: string; url?: undefined }) & { path: string; weight: number }>;
  canary?: { header?: string; cookie?: string; target: number };
  sticky?: "consumer" | "cookie";
  retries?: { attempts: number; on: Array<number | "network">; backoff: { base: number; max: number } };
  /** Shared through the Durable Object binding `binding`, or kept in each isolate. */
  circuitBreaker?: { failures: number; window: number; cooldown: number; on: Array<number | "network"> } & (
    { shared: true; binding: string } | { shared?: undefined }
  );
  maxResponseBytes?: number;
}
