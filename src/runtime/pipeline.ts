/**
 * @module
 * The request pipeline of one operation: inbound steps, the handler, then
 * outbound steps. Any inbound step may end the request with a Response; the
 * outbound chain still runs on it, so gateway-wide outbound policies see
 * every response an operation gives.
 */
import { ClientGoneError } from "./client-body.ts";
import { DEFAULT_PROBLEM_BASE, GatewayError, PROBLEM, problem, type ProblemBase } from "./errors.ts";
import { describeError } from "./log.ts";
import type { HandleStep, InboundStep, OperationSteps, OutboundStep } from "./setup.ts";
import { MissingEnvError, UnsafeParamError } from "./templates.ts";
import { noteProblem, telemetryOf, type RequestTelemetry } from "./telemetry/request-telemetry.ts";
import type { GatewayContext } from "./types.ts";
import { operationAnswered, operationStarted } from "./wrapping.ts";

/** What a request whose client left before its body ended is answered and logged with. */
export const CLIENT_CLOSED = 499;

/** The request's telemetry when it times steps; undefined leaves each step a plain call. */
type Timer = RequestTelemetry | undefined;

/** Runs one inbound step, timed (and spanned) as its name when the request's telemetry asks for it. */
function runInbound(timer: RequestTelemetry, step: InboundStep, request: Request, ctx: GatewayContext): Promise<Request | Response> {
  return timer.step(step.name, "internal", { "portico.step": step.name }, async () => step.run(request, ctx));
}

function runHandle(timer: RequestTelemetry, step: HandleStep, request: Request, ctx: GatewayContext): Promise<Response> {
  return timer.step(step.name, "internal", { "portico.step": step.name }, async () => step.run(request, ctx));
}

function runOutbound(timer: RequestTelemetry, step: OutboundStep, response: Response, request: Request, ctx: GatewayContext): Promise<Response> {
  return timer.step(step.name, "internal", { "portico.step": step.name }, async () => step.run(response, request, ctx));
}

/** Turns anything thrown into a problem response; only GatewayError details reach the client. */
export function errorResponse(error: unknown, request: Request, ctx: GatewayContext, base: ProblemBase = DEFAULT_PROBLEM_BASE): Response {
  const instance = new URL(request.url).pathname;
  const { requestId } = ctx;
  const { traceId } = ctx.trace;
  if (error instanceof GatewayError) {
    noteProblem(ctx, error.kind.type);
    return problem(error.kind, { detail: error.detail, instance, requestId, traceId, headers: error.headers, extra: error.extra, base });
  }
  if (error instanceof UnsafeParamError) {
    noteProblem(ctx, PROBLEM.badRequest.type);
    return problem(PROBLEM.badRequest, {
      detail: `The path parameter "${error.param}" may not be "." or "..".`,
      instance,
      requestId,
      traceId,
      base,
    });
  }
  if (error instanceof ClientGoneError) {
    // Nobody reads this answer; 499 is the status proxies log for a client that left (nginx's).
    ctx.log.info("client closed the connection", { status: CLIENT_CLOSED });
    return new Response(null, { status: CLIENT_CLOSED });
  }
  const config = error instanceof MissingEnvError;
  noteProblem(ctx, PROBLEM.internal.type);
  ctx.log.error(config ? "gateway misconfigured" : "unhandled error", describeError(error));
  return problem(PROBLEM.internal, {
    detail: `The gateway could not complete the request. Quote requestId ${requestId} when reporting it.`,
    instance,
    requestId,
    traceId,
    base,
  });
}

/**
 * Runs one operation's inbound, handler and outbound steps; never throws. One
 * function and plain loops over the steps gathered at set-up: no closure is
 * made per request unless its steps are timed.
 */
export async function runOperation(steps: OperationSteps, request: Request, ctx: GatewayContext, base: ProblemBase = DEFAULT_PROBLEM_BASE) {
  let current = request;
  // What a thrown error is answered for: the request as it came until every inbound step has passed it on.
  let upstreamRequest = request;
  const telemetry = telemetryOf(ctx);
  const timer: Timer = telemetry?.timing ? telemetry : undefined;
  operationStarted(ctx, steps);
  try {
    let response: Response | undefined;
    const { inbound, outbound, handle } = steps;
    for (let i = 0; i < inbound.length; i++) {
      const step = inbound[i];
      const result = await (timer ? runInbound(timer, step, current, ctx) : step.run(current, ctx));
      if (result instanceof Response) {
        response = result;
        break;
      }
      if (!(result instanceof Request)) {
        throw new TypeError(`Policy "${step.name}" inbound returned neither a Request nor a Response`);
      }
      current = result;
    }
    upstreamRequest = current;
    if (response === undefined) {
      response = await (timer ? runHandle(timer, handle, current, ctx) : handle.run(current, ctx));
      if (!(response instanceof Response)) {
        throw new TypeError(`Handler "${handle.name}" returned no Response`);
      }
    }
    for (let i = 0; i < outbound.length; i++) {
      const step = outbound[i];
      const result: Response = await (timer ? runOutbound(timer, step, response, current, ctx) : step.run(response, current, ctx));
      if (!(result instanceof Response)) {
        throw new TypeError(`Policy "${step.name}" outbound returned no Response`);
      }
      response = result;
    }
    return response;
  } catch (error) {
    return errorResponse(error, upstreamRequest, ctx, base);
  } finally {
    operationAnswered(ctx);
  }
}

/** The finish steps, each on the response the one before gave; one that throws is logged and skipped. */
export function runFinish(steps: OperationSteps | undefined, response: Response, request: Request, ctx: GatewayContext): Response {
  let current = response;
  if (!steps) return current;
  for (const finish of steps.finish) {
    try {
      current = finish(current, request, ctx);
    } catch (error) {
      ctx.log.error("finish step failed", describeError(error));
    }
  }
  return current;
}
