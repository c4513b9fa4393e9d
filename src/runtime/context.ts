/**
 * @module
 * Builds the per-request context handed to policies and handlers.
 */
import { createLogger } from "./log.ts";
import { randomId } from "./telemetry/trace-context.ts";
import type { GatewayContext, Logger, RouteInfo, TraceInfo } from "./types.ts";

/**
 * Headers policies asked for on a request's response, by context: kept
 * beside the context rather than in its public bag, which is the policies' own.
 */
const responseHeaders = new WeakMap<GatewayContext, Headers>();

/**
 * Asks for a header on this request's response, however it ends: the
 * handler's answer, an early Response, or a problem (rate-limit headers go on
 * all of them). Values are appended, so several policies can add list items.
 */
export function addResponseHeader(ctx: GatewayContext, name: string, value: string): void {
  let headers = responseHeaders.get(ctx);
  if (!headers) responseHeaders.set(ctx, (headers = new Headers()));
  headers.append(name, value);
}

/** Sets X-Request-Id and the headers policies asked for (addResponseHeader). */
export function finishResponse(response: Response, ctx: GatewayContext): Response {
  const extra = responseHeaders.get(ctx);
  return withHeaders(response, (target) => {
    target.set("x-request-id", ctx.requestId);
    for (const [name, value] of extra ?? []) target.append(name, value);
  });
}

/** `response` with its headers changed by `apply`: in place, or on a copy when they are immutable. */
export function withHeaders(response: Response, apply: (headers: Headers) => void): Response {
  try {
    apply(response.headers);
    return response;
  } catch {
    // Headers of a Response from fetch() are immutable: copy once.
    const copy = new Response(response.body, response);
    apply(copy.headers);
    return copy;
  }
}

export interface ContextInit {
  route: RouteInfo;
  params: Record<string, string>;
  env: Record<string, unknown>;
  requestId: string;
  waitUntil: (promise: Promise<unknown>) => void;
  /** Built by `npm run dev`: see createLogger. */
  dev?: boolean;
  /** Given by the gateway; a context made elsewhere (a test's) starts a trace of its own. */
  startedAt?: number;
  trace?: TraceInfo;
}

export function createContext(init: ContextInit): GatewayContext {
  let logger: Logger | undefined;
  let loggedId = "";
  const ctx: GatewayContext = {
    route: init.route,
    params: Object.freeze({ ...init.params }),
    consumer: undefined,
    env: init.env,
    requestId: init.requestId,
    trace: init.trace ?? { traceId: randomId(16), spanId: randomId(8), sampled: false },
    startedAt: init.startedAt ?? Date.now(),
    // Made again only when the requestId changes, so a policy that adopts the
    // caller's X-Request-Id is reflected in every later line.
    get log() {
      if (!logger || loggedId !== ctx.requestId) {
        loggedId = ctx.requestId;
        logger = createLogger({ requestId: loggedId, operationId: init.route.operationId }, { readableStacks: init.dev });
      }
      return logger;
    },
    waitUntil: init.waitUntil,
    bag: new Map(),
  };
  return ctx;
}
