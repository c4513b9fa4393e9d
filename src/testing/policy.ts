/**
 * @module
 * Runs one policy or handler module as an operation's pipeline would: inbound,
 * the handler (a stand-in of the test's), outbound and finish, with a context made
 * like the gateway's, and anything thrown answered as the gateway answers it
 * (a GatewayError as its problem, anything else as a 500 that says nothing of it).
 * Options are handed over as given: the build, not this, checks them against the
 * module's schema, so a test of bad options belongs to `portico check`.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env as testEnv } from "cloudflare:workers";
import { createContext } from "../runtime/context.ts";
import { errorResponse } from "../runtime/pipeline.ts";
import type { Consumer, GatewayContext, HandlerModule, PolicyModule, RouteInfo } from "../runtime/types.ts";

export interface RunOptions<O> {
  /** The policy's options, as `x-portico` would give them. */
  options?: O;
  /** `ctx.consumer`: who authentication said is calling (see fakeConsumer); anonymous by default. */
  consumer?: Consumer;
  /** Bindings added to (or replacing) the test env, e.g. `{ UPSTREAM_URL: upstream.url }`. */
  env?: Record<string, unknown>;
  route?: Partial<RouteInfo>;
  params?: Record<string, string>;
  /** What answers a request the inbound hook passes on: 200 "ok" by default. */
  handler?: (request: Request, ctx: GatewayContext) => Response | Promise<Response>;
}

export interface PolicyRun {
  /** The response the client would get. */
  response: Response;
  /** The request the handler got; undefined when the inbound hook answered itself. */
  forwarded: Request | undefined;
  /** The context the hooks saw (its consumer, bag, requestId). */
  ctx: GatewayContext;
}

function contextFor<O>(request: Request, run: RunOptions<O>): GatewayContext {
  const execution = createExecutionContext();
  const route: RouteInfo = { operationId: "testOperation", method: request.method, path: new URL(request.url).pathname, ...run.route };
  const ctx = createContext({
    route,
    params: run.params ?? {},
    env: { ...(testEnv as object), ...run.env },
    requestId: crypto.randomUUID(),
    waitUntil: (promise) => execution.waitUntil(promise),
  });
  ctx.consumer = run.consumer;
  pending.set(ctx, execution);
  return ctx;
}

const pending = new WeakMap<GatewayContext, ExecutionContext>();

/** Waits for what the hooks passed to ctx.waitUntil, as the runtime would before the isolate ends. */
async function settle(ctx: GatewayContext): Promise<void> {
  const execution = pending.get(ctx);
  if (execution) await waitOnExecutionContext(execution);
}

/**
 * Runs `policy` on `request`.
 *
 * @example
 * ```ts
 * import policy from "./tier-header.ts";
 * const { response, forwarded } = await runPolicy(policy, testRequest("/v1/exhibits"), {
 *   options: { header: "x-tier" },
 *   consumer: fakeConsumer({ tier: "gold" }),
 * });
 * expect(forwarded?.headers.get("x-tier")).toBe("gold");
 * ```
 */
export async function runPolicy<O>(policy: PolicyModule<O>, request: Request, run: RunOptions<O> = {}): Promise<PolicyRun> {
  const ctx = contextFor(request, run);
  const options = run.options as O;
  let forwarded: Request | undefined;
  let response: Response;
  try {
    const inbound = policy.inbound ? await policy.inbound(request, ctx, options) : request;
    if (inbound instanceof Response) {
      response = inbound;
    } else {
      forwarded = inbound;
      response = await (run.handler ?? (() => new Response("ok")))(inbound, ctx);
    }
    if (policy.outbound) response = await policy.outbound(response, forwarded ?? request, ctx, options);
  } catch (error) {
    response = errorResponse(error, request, ctx);
  }
  if (policy.finish) response = policy.finish(response, forwarded ?? request, ctx, options);
  await settle(ctx);
  return { response, forwarded, ctx };
}

/**
 * Runs a handler module on `request`.
 *
 * @example
 * ```ts
 * const { response } = await runHandler(ticketCode, testRequest("/v1/tickets/tk-1/qr"), {
 *   options: { prefix: "MUSEUM" }, params: { ticketId: "tk-1" },
 * });
 * ```
 */
export async function runHandler<O>(
  handler: HandlerModule<O>,
  request: Request,
  run: Omit<RunOptions<O>, "handler"> = {},
): Promise<Omit<PolicyRun, "forwarded">> {
  const ctx = contextFor(request, run);
  let response: Response;
  try {
    response = await handler.handle(request, ctx, run.options as O);
  } catch (error) {
    response = errorResponse(error, request, ctx);
  }
  await settle(ctx);
  return { response, ctx };
}
