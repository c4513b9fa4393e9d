/**
 * @module
 * Builds the per-request context handed to policies and handlers.
 */
import { createLogger } from "./log.ts";
import type { GatewayContext, Logger, RouteInfo } from "./types.ts";

/** Bag key under which the request-id policy names the header to echo the id in. */
export const REQUEST_ID_HEADER_KEY = "portico.request-id.header";

/** Bag key of headers a policy wants on the response, whatever ends the request (see addResponseHeader). */
const RESPONSE_HEADERS_KEY = "portico.response-headers";

/**
 * Asks for a header on this request's response, however it ends: the
 * handler's answer, an early Response, or a problem (rate-limit headers go on
 * all of them). Values are appended, so several policies can add list items.
 */
export function addResponseHeader(ctx: GatewayContext, name: string, value: string): void {
  let headers = ctx.bag.get(RESPONSE_HEADERS_KEY) as Headers | undefined;
  if (!headers) ctx.bag.set(RESPONSE_HEADERS_KEY, (headers = new Headers()));
  headers.append(name, value);
}

/** Sets the request id (under the request-id policy's header, or X-Request-Id) and the asked-for headers. */
export function finishResponse(response: Response, ctx: GatewayContext): Response {
  const header = (ctx.bag.get(REQUEST_ID_HEADER_KEY) as string | undefined) ?? "x-request-id";
  const extra = ctx.bag.get(RESPONSE_HEADERS_KEY) as Headers | undefined;
  const apply = (target: Headers) => {
    target.set(header, ctx.requestId);
    for (const [name, value] of extra ?? []) target.append(name, value);
  };
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
