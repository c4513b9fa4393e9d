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
import type { OperationSteps } from "./setup.ts";
import { MissingEnvError, UnsafeParamError } from "./templates.ts";
import { noteProblem, telemetryOf, type RequestTelemetry } from "./telemetry/request-telemetry.ts";
import type { GatewayContext } from "./types.ts";
import { operationAnswered, operationStarted } from "./wrapping.ts";

/** What a request whose client left before its body ended is answered and logged with. */
export const CLIENT_CLOSED = 499;

/** The request's telemetry when it times steps; undefined leaves each step a plain call. */
type Timer = RequestTelemetry | undefined;

/** Runs one step, timed (and spanned) as `name` when the request's telemetry asks for it. */
function run<T>(timer: Timer, name: string, step: () => T | Promise<T>): T | Promise<T> {
  return timer ? timer.step(name, "internal", { "portico.step": name }, async () => step()) : step();
}

async function runInbound(steps: OperationSteps, request: Request, ctx: GatewayContext, timer: Timer) {
  let current = request;
  for (const step of steps.inbound) {
    const result = await run(timer, step.name, () => step.run(current, ctx));
    if (result instanceof Response) return { request: current, response: result };
    if (!(result instanceof Request)) {
      throw new TypeError(`Policy "${step.name}" inbound returned neither a Request nor a Response`);
    }
    current = result;
  }
  return { request: current, response: undefined };
}

async function runOutbound(steps: OperationSteps, response: Response, request: Request, ctx: GatewayContext, timer: Timer) {
  let current = response;
  for (const step of steps.outbound) {
    const result = await run(timer, step.name, () => step.run(current, request, ctx));
    if (!(result instanceof Response)) {
      throw new TypeError(`Policy "${step.name}" outbound returned no Response`);
    }
    current = result;
  }
  return current;
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

/** Runs one operation's inbound, handler and outbound steps; never throws. */
export async function runOperation(steps: OperationSteps, request: Request, ctx: GatewayContext, base: ProblemBase = DEFAULT_PROBLEM_BASE) {
  let upstreamRequest = request;
  const telemetry = telemetryOf(ctx);
  const timer = telemetry?.timing ? telemetry : undefined;
  operationStarted(ctx, steps);
  try {
    const inbound = await runInbound(steps, request, ctx, timer);
    upstreamRequest = inbound.request;
    const response = inbound.response ?? (await run(timer, steps.handle.name, () => steps.handle.run(upstreamRequest, ctx)));
    if (!(response instanceof Response)) {
      throw new TypeError(`Handler "${steps.handle.name}" returned no Response`);
    }
    return await runOutbound(steps, response, upstreamRequest, ctx, timer);
  } catch (error) {
    return errorResponse(error, upstreamRequest, ctx, base);
  } finally {
    operationAnswered(ctx);
  }
}

/** The finish steps, each on the response the one before gave; one that throws is logged and skipped. */
export function runFinish(steps: OperationSteps | undefined, response: Response, request: Request, ctx: GatewayContext): Response {
  let current = response;
  for (const finish of steps?.finish ?? []) {
    try {
      current = finish(current, request, ctx);
    } catch (error) {
      ctx.log.error("finish step failed", describeError(error));
    }
  }
  return current;
}
