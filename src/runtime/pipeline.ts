/**
 * @module
 * The request pipeline of one operation: inbound policies, the handler, then
 * outbound policies. Any inbound step may end the request with a Response;
 * the outbound chain still runs on it, so gateway-wide outbound policies (such
 * as request-id) see every response an operation gives.
 */
import { GatewayError, PROBLEM, problem } from "./errors.ts";
import { describeError } from "./log.ts";
import type { CompiledOperation } from "./route-table.ts";
import { MissingEnvError, UnsafeParamError } from "./templates.ts";
import type { GatewayContext } from "./types.ts";

async function runInbound(op: CompiledOperation, request: Request, ctx: GatewayContext) {
  let current = request;
  for (const policy of op.inbound) {
    if (!policy.module.inbound) continue;
    const result = await policy.module.inbound(current, ctx, policy.options);
    if (result instanceof Response) return { request: current, response: result };
    if (!(result instanceof Request)) {
      throw new TypeError(`Policy "${policy.name}" inbound returned neither a Request nor a Response`);
    }
    current = result;
  }
  return { request: current, response: undefined };
}

async function runOutbound(op: CompiledOperation, response: Response, request: Request, ctx: GatewayContext) {
  let current = response;
  for (const policy of op.outbound) {
    if (!policy.module.outbound) continue;
    const result = await policy.module.outbound(current, request, ctx, policy.options);
    if (!(result instanceof Response)) {
      throw new TypeError(`Policy "${policy.name}" outbound returned no Response`);
    }
    current = result;
  }
  return current;
}

/** Turns anything thrown into a problem response; only GatewayError details reach the client. */
export function errorResponse(error: unknown, request: Request, ctx: GatewayContext): Response {
  const instance = new URL(request.url).pathname;
  const { requestId } = ctx;
  if (error instanceof GatewayError) {
    return problem(error.kind, { detail: error.detail, instance, requestId, headers: error.headers, extra: error.extra });
  }
  if (error instanceof UnsafeParamError) {
    return problem(PROBLEM.badRequest, {
      detail: `The path parameter "${error.param}" may not be "." or "..".`,
      instance,
      requestId,
    });
  }
  const config = error instanceof MissingEnvError;
  ctx.log.error(config ? "gateway misconfigured" : "unhandled error", describeError(error));
  return problem(PROBLEM.internal, {
    detail: `The gateway could not complete the request. Quote requestId ${requestId} when reporting it.`,
    instance,
    requestId,
  });
}

/** Runs one operation's whole pipeline; never throws. */
export async function runOperation(op: CompiledOperation, request: Request, ctx: GatewayContext) {
  let upstreamRequest = request;
  try {
    const inbound = await runInbound(op, request, ctx);
    upstreamRequest = inbound.request;
    const response =
      inbound.response ?? (await op.handler.module.handle(upstreamRequest, ctx, op.handler.options));
    if (!(response instanceof Response)) {
      throw new TypeError(`Handler "${op.handler.name}" returned no Response`);
    }
    return await runOutbound(op, response, upstreamRequest, ctx);
  } catch (error) {
    return errorResponse(error, upstreamRequest, ctx);
  }
}
