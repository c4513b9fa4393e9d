/**
 * @module
 * The run-time contract every built-in runs inside workerd, as Hono's routers
 * share `common.case.test.ts`: its folder's `contract.test.ts` calls
 * {@link runRuntimeContract} with options of its own. The hooks its `create`
 * gives are called directly with a real context, and through the pipeline's
 * own functions: what it lets through comes out as it went in but for the
 * headers it documents, a refusal is a problem and nothing else, the work
 * that depends on its options is done once at set-up, and a response whose
 * headers cannot change never makes it throw.
 */
import { env as testEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Builtin, Env, Hooks } from "../runtime/builtin.ts";
import { createContext } from "../runtime/context.ts";
import { GatewayError, PROBLEM_CONTENT_TYPE } from "../runtime/errors.ts";
import { runFinish, runOperation } from "../runtime/pipeline.ts";
import type { OperationSteps } from "../runtime/setup.ts";
import type { Consumer, GatewayContext } from "../runtime/types.ts";
import { NOT_APPLICABLE, skipFor } from "../../test/support/skips.ts";

/** Every hook the router runs. */
const HOOKS = ["inbound", "outbound", "handle", "preflight", "finish"] as const;

/** The contract's tests, by title: what a `skip` entry names. */
export const RUNTIME_TESTS = {
  passThrough: "lets an ordinary request through with the same method, URL, body and headers, but those it documents",
  responses: "passes responses on with the same status, body and headers, but those it documents",
  documented: "changes every header it documents changing",
  answers: "answers an ordinary request with a Response",
  refuses: "refuses with a GatewayError or a Response, never another error",
  problem: "ends its refusal at the gateway as problem+json with the requestId",
  repeat: "answers alike however many times its hooks run",
  setUpOnce: "takes what it needs from its options at set-up: changing them afterwards changes nothing",
  hooks: "has only hooks the router runs, and leaves the others undefined for it to skip",
  immutable: "never throws on a response whose headers are immutable, and gives back a Response",
} as const;

export type RuntimeTest = (typeof RUNTIME_TESTS)[keyof typeof RUNTIME_TESTS];

/** Tests a built-in cannot run, and why (Hono's `skip: [{ reason, tests }]`). */
export interface Skip {
  reason: string;
  tests: RuntimeTest[];
}

/** A request the built-in refuses, and what makes it refuse. */
export interface Refusal<Options> {
  /** The refused request (default: the ordinary one). */
  request?: () => Request;
  /** For a built-in that judges responses: the one it refuses to pass on. */
  response?: () => Response;
  /** Who the caller is; made once per refusal, so every attempt comes from the same caller. */
  consumer?: () => Consumer;
  /** How many times the request is sent, the last one refused (a limit of 1 refuses the second); default 1. */
  attempts?: number;
  /** The options it refuses under, when not the contract's own. */
  options?: Options;
}

export interface RuntimeContract<Options, Prepared> {
  /** Options as the build leaves them: valid, defaults filled in. */
  options: Options;
  prepared?: Prepared;
  /** The env its hooks see (default: the workers pool's, with wrangler.toml's bindings). */
  env?: Env;
  /** An ordinary request it lets through (default: a POST with a JSON body, a query and a few headers). */
  admitted?: () => Request;
  /** Who sends the ordinary request (default: an anonymous caller); made once per test. */
  consumer?: () => Consumer;
  /** What the upstream answers in the response tests (default: a 200 with a JSON body). */
  upstream?: () => Response;
  /** A CORS preflight, for a built-in with a preflight hook. */
  preflight?: () => Request;
  /** Headers (lower case) it documents adding, replacing or removing on what it lets through. */
  changes?: string[];
  refusal?: Refusal<Options>;
  /** The same refusal sent to a compiled test gateway: the last response. */
  atGateway?: () => Promise<Response>;
  skip?: Skip[];
}

/** The ordinary request: a body, a query with a repeated name, and headers a policy has no business touching. */
export function ordinaryRequest(): Request {
  return new Request("https://api.example.com/things/42?q=1&q=2", {
    method: "POST",
    headers: {
      accept: "application/json",
      "content-type": "application/json",
      "cf-connecting-ip": "203.0.113.9",
      "user-agent": "portico-contract",
      "x-custom": "kept",
    },
    body: '{"hello":"world"}',
  });
}

function ordinaryResponse(): Response {
  return new Response('{"answer":42}', {
    status: 200,
    headers: { "cache-control": "no-cache", "content-type": "application/json", "x-custom": "kept" },
  });
}

const ROUTE = { operationId: "contract", method: "POST", path: "/things/{id}" };

/** A real context for one request, and a way to wait for the work it left running. */
function contextFor(env: Env, consumer?: Consumer) {
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

async function bytesOf(message: Request | Response): Promise<Uint8Array> {
  return new Uint8Array(await message.arrayBuffer());
}

/** Header names whose values differ between two messages (added, removed or changed). */
function changedHeaders(before: Headers, after: Headers): string[] {
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
function emptyOut(value: unknown): void {
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

/** Runs the built-in contract inside workerd on a built-in's run-time module. */
export function runRuntimeContract<Options, Prepared>(name: string, builtin: Builtin<Options, Prepared>, contract: RuntimeContract<Options, Prepared>): void {
  const env = contract.env ?? (testEnv as unknown as Env);
  const admitted = contract.admitted ?? ordinaryRequest;
  const upstream = contract.upstream ?? ordinaryResponse;
  const changes = contract.changes ?? [];
  const setUp = (options: Options = contract.options): Hooks => builtin.create({ name, options, prepared: contract.prepared as Prepared, env });
  const skipped = new Map((contract.skip ?? []).flatMap(({ reason, tests }) => tests.map((test) => [test, reason] as const)));
  const test = (title: RuntimeTest, body: () => Promise<void> | void) => {
    const reason = skipped.get(title);
    if (reason) it(`${title} (skipped: ${reason})`, skipFor(NOT_APPLICABLE), body);
    else it(title, body);
  };
  const declared = setUp();

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

  describe(`${name}: the run-time contract`, () => {
    test(RUNTIME_TESTS.hooks, () => {
      const present = Object.entries(declared).filter(([, hook]) => hook !== undefined);
      expect(present.length, "no hook at all: the router would never run it").toBeGreaterThan(0);
      for (const [hook, run] of present) {
        expect(HOOKS, `"${hook}" is no hook the router runs`).toContain(hook);
        expect(typeof run, hook).toBe("function");
      }
    });

    if (declared.inbound) {
      test(RUNTIME_TESTS.passThrough, async () => {
        const { ctx } = contextFor(env, contract.consumer?.());
        const result = await declared.inbound!(admitted(), ctx);
        expect(result, "it did not let the ordinary request through").toBeInstanceOf(Request);
        const through = result as Request;
        const original = admitted();
        expect(through.method).toBe(original.method);
        expect(through.url).toBe(original.url);
        expect(await bytesOf(through)).toEqual(await bytesOf(original));
        expect(
          changedHeaders(original.headers, through.headers).filter((header) => !changes.includes(header)),
          "headers changed without being documented",
        ).toEqual([]);
      });
    }

    if (declared.outbound || declared.finish) {
      test(RUNTIME_TESTS.responses, async () => {
        for (const hook of ["outbound", "finish"] as const) {
          if (!declared[hook]) continue;
          const { ctx } = contextFor(env, contract.consumer?.());
          const result = await declared[hook]!(upstream(), admitted(), ctx);
          const original = upstream();
          expect(result.status, hook).toBe(original.status);
          expect(await bytesOf(result), hook).toEqual(await bytesOf(original));
          expect(
            changedHeaders(original.headers, result.headers).filter((header) => !changes.includes(header)),
            `${hook}: headers changed without being documented`,
          ).toEqual([]);
        }
      });
    }

    if (changes.length > 0) {
      test(RUNTIME_TESTS.documented, async () => {
        const changed = new Set<string>();
        const consumer = contract.consumer?.();
        if (declared.inbound) {
          const result = await declared.inbound(admitted(), contextFor(env, consumer).ctx);
          if (result instanceof Request) changedHeaders(admitted().headers, result.headers).forEach((header) => changed.add(header));
        }
        for (const hook of ["outbound", "finish"] as const) {
          const result = await declared[hook]?.(upstream(), admitted(), contextFor(env, consumer).ctx);
          if (result) changedHeaders(upstream().headers, result.headers).forEach((header) => changed.add(header));
        }
        expect([...changed].sort()).toEqual([...changes].sort());
      });
    }

    if (declared.handle) {
      test(RUNTIME_TESTS.answers, async () => {
        const response = await declared.handle!(admitted(), contextFor(env, contract.consumer?.()).ctx);
        expect(response).toBeInstanceOf(Response);
        expect(response.status).toBeLessThan(400);
        await response.body?.cancel();
      });
    }

    test(RUNTIME_TESTS.refuses, async () => {
      expect(contract.refusal, "give the contract a refusal, or skip this test with a reason").toBeDefined();
      const refusal = contract.refusal!;
      const fate = await refuse(setUp(refusal.options), refusal);
      expect(fate.by, "the refusal was let through").not.toBe("nothing");
      expect(fate.status).toBeGreaterThanOrEqual(400);
    });

    test(RUNTIME_TESTS.problem, async () => {
      expect(contract.atGateway, "give the contract atGateway, or skip this test with a reason").toBeDefined();
      const response = await contract.atGateway!();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
      const problem = (await response.json()) as { status: number; requestId: string };
      expect(problem.status).toBe(response.status);
      expect(problem.requestId).toMatch(/\S/);
      expect(response.headers.get("x-request-id")).toBe(problem.requestId);
    });

    test(RUNTIME_TESTS.repeat, async () => {
      const consumer = contract.consumer?.();
      const first = await outcome(declared, admitted(), consumer);
      for (let run = 0; run < 20; run++) expect(await outcome(declared, admitted(), consumer), `run ${run + 2}`).toEqual(first);
      if (contract.refusal) {
        const hooks = setUp(contract.refusal.options);
        const refused = await refuse(hooks, contract.refusal);
        expect(await refuse(hooks, contract.refusal)).toEqual(refused);
      }
    });

    test(RUNTIME_TESTS.setUpOnce, async () => {
      const options = structuredClone(contract.options);
      const hooks = setUp(options);
      const refusal = contract.refusal && { ...contract.refusal, options: structuredClone(contract.refusal.options ?? contract.options) };
      const refusalHooks = refusal && setUp(refusal.options);
      const consumer = contract.consumer?.();
      const before = { admitted: await outcome(hooks, admitted(), consumer), refused: refusal && (await refuse(refusalHooks!, refusal)) };
      emptyOut(options);
      emptyOut(refusal?.options);
      const after = { admitted: await outcome(hooks, admitted(), consumer), refused: refusal && (await refuse(refusalHooks!, refusal)) };
      expect(after).toEqual(before);
    });

    if (declared.outbound || declared.finish) {
      test(RUNTIME_TESTS.immutable, async () => {
        for (const hook of ["outbound", "finish"] as const) {
          if (!declared[hook]) continue;
          const immutable = Response.redirect("https://api.example.com/elsewhere", 302);
          expect(() => immutable.headers.set("x-probe", "1"), "the test's response should have immutable headers").toThrow(TypeError);
          const result = await declared[hook]!(immutable, admitted(), contextFor(env, contract.consumer?.()).ctx);
          expect(result, hook).toBeInstanceOf(Response);
          expect(result.status, hook).toBe(302);
        }
      });
    }
  });
}
