/**
 * @module
 * Builds the per-request context handed to policies and handlers. It is an
 * instance of one class, so every context has the same shape; what the
 * runtime keeps beside it (the request's telemetry, the headers asked for on
 * its response, the running operation) sits in symbol-keyed fields, set only
 * when used, rather than in maps looked up per request.
 */
import { createLogger } from "./log.ts";
import { randomId } from "./telemetry/trace-context.ts";
import type { RequestTelemetry } from "./telemetry/request-telemetry.ts";
import type { Consumer, GatewayContext, Logger, RouteInfo, TraceInfo } from "./types.ts";
import type { OperationSteps } from "./setup.ts";

/** The request's telemetry (telemetry/request-telemetry.ts), when the gateway made the context. */
export const TELEMETRY = Symbol("telemetry");
/** Headers policies asked for on the response (addResponseHeader). */
export const RESPONSE_HEADERS = Symbol("response headers");
/** The steps of the operation running in this context, and what waits for its answer (wrapping.ts). */
export const OPERATION = Symbol("operation");
export const ANSWERED = Symbol("answered");
/**
 * The client's own request when it arrived with no hop-by-hop field and no
 * method override (see withoutHopByHopOrOverrides): its headers are
 * immutable, so a step handed this same object need not look for them again.
 * A built-in's copy of it that adds no such field may carry the mark on
 * (passCheck) until a user's hook, which could change it in place, is handed it.
 */
export const CHECKED = Symbol("checked request");
/** Whether the checked request is a built-in's copy, its headers editable (passCheck). */
const CHECKED_COPY = Symbol("checked copy");

/** Keeps background work alive past the response: the request's execution context's, or a test's stand-in. */
export type WaitUntil = (promise: Promise<unknown>) => void;

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

/** What the gateway knows of a request when its operation is matched; `params` is the router's own copy, frozen here. */
export interface RequestFacts {
  route: RouteInfo;
  params: Record<string, string>;
  env: Record<string, unknown>;
  requestId: string;
  /** Called unbound by policies (`ctx.waitUntil` handed on as a function): the gateway's one per request. */
  waitUntil: WaitUntil;
  dev: boolean;
  startedAt: number;
  trace: TraceInfo;
}

export class RequestContext implements GatewayContext {
  readonly route: RouteInfo;
  readonly params: Readonly<Record<string, string>>;
  consumer: Consumer | undefined = undefined;
  readonly env: Record<string, unknown>;
  requestId: string;
  readonly trace: TraceInfo;
  readonly startedAt: number;
  readonly waitUntil: WaitUntil;
  [TELEMETRY]: RequestTelemetry | undefined = undefined;
  [RESPONSE_HEADERS]: Headers | undefined = undefined;
  [OPERATION]: OperationSteps | undefined = undefined;
  [ANSWERED]: Array<() => void> | undefined = undefined;
  [CHECKED]: Request | undefined = undefined;
  [CHECKED_COPY] = false;
  readonly #dev: boolean;
  #bag: Map<string, unknown> | undefined = undefined;
  #logger: Logger | undefined = undefined;
  #loggedId = "";

  constructor(facts: RequestFacts) {
    this.route = facts.route;
    this.params = Object.freeze(facts.params);
    this.env = facts.env;
    this.requestId = facts.requestId;
    this.trace = facts.trace;
    this.startedAt = facts.startedAt;
    this.waitUntil = facts.waitUntil;
    this.#dev = facts.dev;
  }

  /** Made on first use, and again only when the requestId changes: a policy that adopts the caller's X-Request-Id is reflected in every later line. */
  get log(): Logger {
    if (!this.#logger || this.#loggedId !== this.requestId) {
      this.#loggedId = this.requestId;
      this.#logger = createLogger({ requestId: this.#loggedId, operationId: this.route.operationId }, { readableStacks: this.#dev });
    }
    return this.#logger;
  }

  get bag(): Map<string, unknown> {
    return (this.#bag ??= new Map());
  }
}

export function createContext(init: ContextInit): GatewayContext {
  return new RequestContext({
    route: init.route,
    params: { ...init.params },
    env: init.env,
    requestId: init.requestId,
    waitUntil: init.waitUntil,
    dev: init.dev === true,
    startedAt: init.startedAt ?? Date.now(),
    trace: init.trace ?? { traceId: randomId(16), spanId: randomId(8), sampled: false },
  });
}

/** What the runtime keeps beside a context; a context made as a plain object (a test's) gets the fields when first set. */
export type KeptContext = GatewayContext &
  Partial<Pick<RequestContext, typeof TELEMETRY | typeof RESPONSE_HEADERS | typeof OPERATION | typeof ANSWERED | typeof CHECKED | typeof CHECKED_COPY>>;

/**
 * Marks `copy` as checked when `request` was: for a built-in that copies the
 * checked request and changes only fields that are neither hop-by-hop nor an
 * override (authenticate's consumer headers), so forward does not strip them again.
 */
export function passCheck(ctx: GatewayContext, request: Request, copy: Request): void {
  const kept = ctx as KeptContext;
  if (kept[CHECKED] !== request || copy === request) return;
  kept[CHECKED] = copy;
  kept[CHECKED_COPY] = true;
}

/** Called before a user's hook gets `request`: a checked copy's headers could be changed in place there, so it is checked no more. */
export function handOverToUserCode(ctx: GatewayContext, request: Request): void {
  const kept = ctx as KeptContext;
  if (kept[CHECKED_COPY] && kept[CHECKED] === request) kept[CHECKED] = undefined;
}

/**
 * Asks for a header on this request's response, however it ends: the
 * handler's answer, an early Response, or a problem (rate-limit headers go on
 * all of them). Values are appended, so several policies can add list items.
 */
export function addResponseHeader(ctx: GatewayContext, name: string, value: string): void {
  ((ctx as KeptContext)[RESPONSE_HEADERS] ??= new Headers()).append(name, value);
}

/** Sets X-Request-Id and the headers policies asked for (addResponseHeader). */
export function finishResponse(response: Response, ctx: GatewayContext): Response {
  const answer = withHeader(response, "x-request-id", ctx.requestId);
  const extra = (ctx as KeptContext)[RESPONSE_HEADERS];
  if (extra) {
    const headers = answer.headers;
    for (const [name, value] of extra) headers.append(name, value);
  }
  return answer;
}

/** A copy of `response` whose headers may be changed: those of a Response from fetch() are immutable. */
function editableCopy(response: Response): Response {
  return new Response(response.body, response);
}

/** `response` with one header set: in place, or on a copy (made once) when its headers are immutable. */
export function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = editableCopy(response);
    copy.headers.set(name, value);
    return copy;
  }
}

/** `response` with its headers changed by `apply`: in place, or on a copy when they are immutable. */
export function withHeaders(response: Response, apply: (headers: Headers) => void): Response {
  try {
    apply(response.headers);
    return response;
  } catch {
    const copy = editableCopy(response);
    apply(copy.headers);
    return copy;
  }
}
