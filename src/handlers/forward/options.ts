import type { FromSchema } from "json-schema-to-ts";
import type { PreparedGroup } from "./upstreams.ts";

/** Options of the `forward` handler. */
export const options = {
  type: "object",
  properties: {
    url: {
      type: "string",
      description:
        "Upstream URL template. `${env.NAME}` reads a Worker var; `${params.name}` inserts a path parameter, percent-encoded. Defaults to x-portico.upstream followed by the operation's path.",
      minLength: 1,
    },
    upstream: {
      type: "string",
      minLength: 1,
      description:
        "Name of a group in x-portico.upstreams to send to instead of a url: each target's URL followed by the operation's path, with the group's balancing, retries and circuit breaker.",
    },
    timeout: {
      type: "integer",
      description: "Milliseconds to wait for the upstream's response headers before answering 504; with retries, for all attempts and the waits between them.",
      minimum: 1,
      maximum: 300000,
      default: 30000,
    },
    maxResponseBytes: {
      type: "integer",
      minimum: 1,
      description:
        "The largest upstream answer passed on, in bytes: a larger Content-Length is answered 502 before any of it is sent; a body without one is cut off where it passes the bound. Wins over the group's.",
    },
    websocket: {
      type: "boolean",
      default: false,
      description:
        "The operation (a GET) is a WebSocket: a handshake (Upgrade: websocket) goes upstream after the inbound policies have passed it, and frames then flow both ways untouched; a plain request is answered 426. The url is http(s), as the handshake is.",
    },
  },
  additionalProperties: false,
} as const;

export type ForwardOptions = FromSchema<typeof options>;

/** The options as the build leaves them: a `url` (from x-portico.upstream when not given), or the group to send to. */
export type PreparedForwardOptions = ForwardOptions & ({ url: string; group?: undefined } | { group: PreparedGroup });
