/**
 * @module
 * What a built-in that wraps the handler (`wraps: true`: listed in inbound,
 * its outbound first on the way back; the cache) may ask of the pipeline
 * besides its two hooks:
 *
 * - to be told when the operation has answered, whichever way: a step or
 *   handler that throws skips every outbound step, so an outbound hook alone
 *   never learns that the request it let through has ended;
 * - to fetch an answer again, later, by running what a request it let through
 *   runs next: the inbound steps listed after it, then the handler.
 *
 * Outside a pipeline (a hook called by a test) neither is available.
 */
import type { Hooks } from "./builtin.ts";
import { ANSWERED, createContext, OPERATION, type KeptContext } from "./context.ts";
import type { OperationSteps } from "./setup.ts";
import type { GatewayContext } from "./types.ts";

/** The pipeline, as an operation starts: its steps, gathered once per env, are kept beside the context (a field written, nothing made). */
export function operationStarted(ctx: GatewayContext, steps: OperationSteps): void {
  (ctx as KeptContext)[OPERATION] = steps;
}

/** The pipeline, once the operation has its answer: its outbound steps done, or its error rendered. */
export function operationAnswered(ctx: GatewayContext): void {
  const kept = ctx as KeptContext;
  const answered = kept[ANSWERED];
  if (!answered) return;
  kept[ANSWERED] = undefined;
  for (const listener of answered) {
    try {
      listener();
    } catch (error) {
      ctx.log.error("a step's end-of-operation listener failed", { error: String(error) });
    }
  }
}

/** Calls `listener` once the operation has answered; false outside a pipeline, where it never is. */
export function whenAnswered(ctx: GatewayContext, listener: () => void): boolean {
  const kept = ctx as KeptContext;
  if (!kept[OPERATION]) return false;
  (kept[ANSWERED] ??= []).push(listener);
  return true;
}

/** Fetches an answer again: the rest of the inbound steps, then the handler; it throws what they throw. */
export type Refetch = (request: Request) => Promise<Response>;

/**
 * What runs after `step` (the caller's own inbound hook, as its `create` gave
 * it) for this operation, in a context of its own: the same route, params,
 * consumer, bag and trace, but none of the request's telemetry or response
 * headers, since it runs after the client has its answer.
 */
export function refetcher(ctx: GatewayContext, step: Hooks["inbound"]): Refetch | undefined {
  const steps = (ctx as KeptContext)[OPERATION];
  const at = steps?.inbound.findIndex((inbound) => inbound.run === step) ?? -1;
  if (!steps || at < 0) return undefined;
  const after = steps.inbound.slice(at + 1);
  return async (request) => {
    const own = createContext({
      route: ctx.route,
      params: { ...ctx.params },
      env: ctx.env as Record<string, unknown>,
      requestId: ctx.requestId,
      waitUntil: (promise) => ctx.waitUntil(promise),
      trace: ctx.trace,
    });
    own.consumer = ctx.consumer;
    for (const [name, value] of ctx.bag) own.bag.set(name, value);
    let current = request;
    for (const inbound of after) {
      const result = await inbound.run(current, own);
      if (result instanceof Response) return result;
      current = result;
    }
    return steps.handle.run(current, own);
  };
}
