/**
 * @module
 * Builds the per-request context handed to policies and handlers.
 */
import { createLogger } from "./log.ts";
import type { GatewayContext, Logger, RouteInfo } from "./types.ts";

/** Bag key under which the request-id policy names the header to echo the id in. */
export const REQUEST_ID_HEADER_KEY = "portico.request-id.header";

/** Sets the request id on the response, under the request-id policy's header or X-Request-Id. */
export function echoRequestId(response: Response, ctx: GatewayContext): Response {
  const header = (ctx.bag.get(REQUEST_ID_HEADER_KEY) as string | undefined) ?? "x-request-id";
  try {
    response.headers.set(header, ctx.requestId);
    return response;
  } catch {
    // Headers of a Response from fetch() are immutable: copy once.
    const copy = new Response(response.body, response);
    copy.headers.set(header, ctx.requestId);
    return copy;
  }
}

export interface ContextInit {
  route: RouteInfo;
  params: Record<string, string>;
  env: Record<string, unknown>;
  requestId: string;
  waitUntil: (promise: Promise<unknown>) => void;
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
    // Made again only when the requestId changes, so a policy that adopts the
    // caller's X-Request-Id is reflected in every later line.
    get log() {
      if (!logger || loggedId !== ctx.requestId) {
        loggedId = ctx.requestId;
        logger = createLogger({ requestId: loggedId, operationId: init.route.operationId });
      }
      return logger;
    },
    waitUntil: init.waitUntil,
    bag: new Map(),
  };
  return ctx;
}
