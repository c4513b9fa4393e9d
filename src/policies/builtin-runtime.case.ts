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
import { PROBLEM_CONTENT_TYPE } from "../runtime/errors.ts";
import { NOT_APPLICABLE, skipFor } from "../../test/support/skips.ts";
import { bytesOf, changedHeaders, contextFor, contractRuns, emptyOut } from "./builtin-runtime-runs.case.ts";
import { ordinaryRequest, ordinaryResponse, RUNTIME_TESTS, type RuntimeContract, type RuntimeTest } from "./builtin-runtime-terms.case.ts";

export { ordinaryRequest, RUNTIME_TESTS, type Refusal, type RuntimeContract, type RuntimeTest, type Skip } from "./builtin-runtime-terms.case.ts";

/** Every hook the router runs. */
const HOOKS = ["inbound", "outbound", "handle", "preflight", "finish"] as const;

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
  const { outcome, refuse } = contractRuns<Options>(name, env, { admitted, upstream, preflight: contract.preflight });

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
