/**
 * @module
 * How the run-time contract (builtin-runtime.case.ts) runs a built-in's
 * hooks: each request with a real context of its own, one request through
 * the pipeline's own functions as the router runs them, a refusal sent as
 * many times as it takes, and messages read back as plain data to compare.
 */
import type { Env, Hooks } from "../runtime/builtin.ts";
import { createContext } from "../runtime/context.ts";
import { GatewayError } from "../runtime/errors.ts";
import { runFinish, runOperation } from "../runtime/pipeline.ts";
import type { OperationSteps } from "../runtime/setup.ts";
import type { Consumer, GatewayContext } from "../runtime/types.ts";
import type { Refusal } from "./builtin-runtime-terms.case.ts";

const ROUTE = { operationId: "contract", method: "POST", path: "/things/{id}" };

/** A real context for one request, and a way to wait for the work it left running. */
export function contextFor(env: Env, consumer?: Consumer) {
  const pending: Array<Promise<unknown>> = [];
  const ctx = createContext({
    route: ROUTE,
    params: { id: "42" },
    env,
    requestId: "contract-request-1",
    // One trace for every run: what a built-in passes on of it must not make runs differ.
    trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", sampled: false },
    waitUntil: (promise) => void pending.push(promise),
  });
  ctx.consumer = consumer;
  return { ctx, settled: () => Promise.allSettled(pending) };
}

export async function bytesOf(message: Request | Response): Promise<Uint8Array> {
  return new Uint8Array(await message.arrayBuffer());
}

/** Header names whose values differ between two messages (added, removed or changed). */
export function changedHeaders(before: Headers, after: Headers): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

/** A message as plain data, to compare one run with another; the Date header is the clock's, not the built-in's. */
async function summary(message: Request | Response | undefined) {
  if (!message) return undefined;
  const headers = [...message.headers].filter(([name]) => name !== "date").sort();
  const body = await message.text();
  return message instanceof Request ? { method: message.method, url: message.url, headers, body } : { status: message.status, headers, body };
}

/** Recursively empties every array and object of the options, as a caller that kept a reference could. */
export function emptyOut(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(emptyOut);
    value.length = 0;
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      emptyOut(item);
      delete (value as Record<string, unknown>)[key];
    }
  }
}

/**
 * The contract's runs of one built-in: `outcome` passes a request through its hooks and the
 * pipeline, `refuse` sends its refusal; both with the contract's request, upstream and preflight.
 */
export function contractRuns<Options>(name: string, env: Env, contract: { admitted: () => Request; upstream: () => Response; preflight?: () => Request }) {
  const { admitted, upstream } = contract;

  /** One request through the pipeline's own functions, as the router runs them: inbound, handler (else the upstream), outbound, finish. */
  async function outcome(hooks: Hooks, request: Request, consumer?: Consumer) {
    const { ctx, settled } = contextFor(env, consumer);
    let passed: Request | undefined;
    const steps: OperationSteps = {
      inbound: hooks.inbound ? [{ name, run: hooks.inbound }] : [],
      handle: {
        name,
        run:
          hooks.handle ??
          ((through) => {
            passed = through;
            return upstream();
          }),
      },
      outbound: hooks.outbound ? [{ name, run: hooks.outbound }] : [],
      finish: hooks.finish ? [hooks.finish] : [],
    };
    const preflight = contract.preflight && hooks.preflight?.(contract.preflight(), "GET, POST");
    const response = runFinish(steps, await runOperation(steps, request, ctx), request, ctx);
    await settled();
    return { passed: await summary(passed), response: await summary(response), preflight: await summary(preflight) };
  }

  /** Sends the refusal as many times as it takes, from one caller; the last attempt's fate. */
  async function refuse(hooks: Hooks, refusal: Refusal<Options>) {
    const consumer = refusal.consumer?.();
    let fate: { by: "GatewayError" | "Response" | "nothing"; status: number; type?: string; detail?: string } = { by: "nothing", status: 0 };
    for (let attempt = 0; attempt < (refusal.attempts ?? 1); attempt++) {
      const { ctx, settled } = contextFor(env, consumer);
      fate = await attemptOnce(hooks, refusal, ctx);
      await settled();
    }
    return fate;
  }

  async function attemptOnce(hooks: Hooks, refusal: Refusal<Options>, ctx: GatewayContext) {
    let request = (refusal.request ?? admitted)();
    try {
      let response: Response | undefined;
      if (hooks.inbound) {
        const result = await hooks.inbound(request, ctx);
        if (result instanceof Response) response = result;
        else request = result;
      }
      response ??= hooks.handle ? await hooks.handle(request, ctx) : (refusal.response ?? upstream)();
      if (hooks.outbound) response = await hooks.outbound(response, request, ctx);
      await response.body?.cancel();
      return { by: response.status >= 400 ? ("Response" as const) : ("nothing" as const), status: response.status };
    } catch (error) {
      // Anything else is a bug, which the pipeline would hide behind a 500.
      if (!(error instanceof GatewayError)) throw error;
      // Digits aside (a Retry-After's seconds), the same refusal reads the same.
      return { by: "GatewayError" as const, status: error.kind.status, type: error.kind.type, detail: error.detail.replace(/\d+/g, "#") };
    }
  }

  return { outcome, refuse };
}
