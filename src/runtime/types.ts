/**
 * @module
 * The types a policy or handler sees at run time. They are re-exported from
 * the public "portico" entry, so user modules never import a path into src/.
 */

/** The operation a request matched, as the OpenAPI document names it. */
export interface RouteInfo {
  operationId: string;
  /** Upper-case HTTP method of the operation. */
  method: string;
  /** The OpenAPI path template, e.g. `/exhibits/{id}`. */
  path: string;
}

/** Who is calling, as set by authentication. `undefined` for anonymous calls. */
export interface Consumer {
  /** API-key and basic consumers: their stored id; token-proven ones: `<scheme name>:<sub>` unless the scheme sets consumerPrefix. */
  id: string;
  /** The security scheme that proved it (with AND requirements, the first scheme of the alternative). */
  scheme?: string;
  scopes: string[];
  tier?: string;
  metadata: Record<string, unknown>;
}

/** A structured logger: every line is one JSON object carrying the requestId. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The request's W3C trace: its id, the gateway's span in it, and whether it is sampled. */
export interface TraceInfo {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
}

/** The per-request context passed to every policy and handler. */
export interface GatewayContext<Env = Record<string, unknown>> {
  readonly route: RouteInfo;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  consumer: Consumer | undefined;
  readonly env: Env;
  /** Unique per request; the `request-id` policy may adopt the caller's. */
  requestId: string;
  /** The caller's trace continued, or a new one: what `forward` sends upstream as traceparent. */
  readonly trace: TraceInfo;
  /** When the gateway got the request (epoch ms). */
  readonly startedAt: number;
  readonly log: Logger;
  /** Keeps the isolate alive for background work after the response is sent. */
  waitUntil(promise: Promise<unknown>): void;
  /** A per-request bag for policies to pass values to each other. */
  readonly bag: Map<string, unknown>;
}

export type InboundHook<O> = (request: Request, ctx: GatewayContext, options: O) => Request | Response | Promise<Request | Response>;

export type OutboundHook<O> = (response: Response, request: Request, ctx: GatewayContext, options: O) => Response | Promise<Response>;

export type HandleHook<O> = (request: Request, ctx: GatewayContext, options: O) => Response | Promise<Response>;

/**
 * Runs on every response of the operations the policy is listed on, after
 * the outbound chain: the handler's answer, an early Response, and the
 * gateway's own problems (401, 429, 500...) alike. It must not throw (one
 * that does is logged and skipped) and should only adjust headers.
 */
export type FinishHook<O> = (response: Response, request: Request, ctx: GatewayContext, options: O) => Response;

/** What `definePolicy` returns: the module's default export. */
export interface PolicyModule<O = unknown> {
  readonly kind: "policy";
  /** JSON Schema of the options, checked at build time. */
  readonly options?: object;
  readonly inbound?: InboundHook<O>;
  readonly outbound?: OutboundHook<O>;
  readonly finish?: FinishHook<O>;
}

/** What `defineHandler` returns: the module's default export. */
export interface HandlerModule<O = unknown> {
  readonly kind: "handler";
  readonly options?: object;
  readonly handle: HandleHook<O>;
}
