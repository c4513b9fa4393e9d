/**
 * @module
 * Sends a request through a whole compiled gateway, as the Workers runtime does:
 * router, authentication, the operation's policies, validation and handler.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env as testEnv } from "cloudflare:workers";

/** A compiled app: the default export of `.portico/app.ts` (`portico build`). */
export interface CompiledGateway {
  fetch(request: Request, env: never, ctx: ExecutionContext): Response | Promise<Response>;
}

export interface CallOptions {
  /** Bindings added to (or replacing) the test env, e.g. `{ UPSTREAM_URL: upstream.url }`. */
  env?: Record<string, unknown>;
}

/**
 * Calls `app` with `request` and waits for its background work (usage, logs).
 *
 * @example
 * ```ts
 * import app from "../.portico/app.ts";
 * const response = await callGateway(app, testRequest("/v1/exhibits"));
 * expect(response.status).toBe(200);
 * ```
 */
export async function callGateway(app: CompiledGateway, request: Request, call: CallOptions = {}): Promise<Response> {
  const execution = createExecutionContext();
  const bindings = call.env ? { ...(testEnv as object), ...call.env } : testEnv;
  const response = await app.fetch(request, bindings as never, execution);
  await waitOnExecutionContext(execution);
  return response;
}
