/**
 * @module
 * The forward handler's traffic management on the happy path, without the
 * fetch: for each request, whether it may be retried, the choice of a target
 * among three weighted ones each behind a circuit breaker, the success recorded
 * on that breaker, and the decision not to retry. These are the calls
 * src/handlers/forward/forward.ts makes around each attempt, through the
 * modules' exported functions only. The request's headers, its URL and the
 * fetch itself are left out: bench:overhead measures forwarding as a whole.
 *
 * Plain code with no clock of its own, so the same module runs inside workerd
 * (machinery-worker.ts times it there) and in Node (bench/traffic.ts).
 */
import { groupPlan } from "../../../src/handlers/forward/group.ts";
import { mayRepeat } from "../../../src/handlers/forward/retry.ts";
import type { PreparedGroup } from "../../../src/handlers/forward/upstreams.ts";
import { createContext } from "../../../src/runtime/context.ts";

/** Three targets, 70/20/10, with retries and a breaker: every branch of a group's happy path. */
const GROUP: PreparedGroup = {
  name: "bench-machinery",
  targets: [
    { url: "http://127.0.0.1:9001", path: "/items", weight: 70 },
    { url: "http://127.0.0.1:9002", path: "/items", weight: 20 },
    { url: "http://127.0.0.1:9003", path: "/items", weight: 10 },
  ],
  retries: { attempts: 2, on: [502, 503, 504, "network"], backoff: { base: 50, max: 1000 } },
  circuitBreaker: { failures: 5, window: 30, cooldown: 15, on: [502, 503, 504, "network"] },
};

export const WEIGHTS = GROUP.targets.map((target) => target.weight);

/** The upstream's answer on the happy path. */
const STATUS = 200;

/** Sets the group up once, as forward's create() does; `run(n)` does n requests' bookkeeping and returns how many went to each target so far. */
export function forwardMachinery(): { run: (requests: number) => number[] } {
  const plan = groupPlan(GROUP, {}, 30_000);
  const choose = plan.choose;
  if (!choose) throw new Error("A group of three targets with a breaker has a choice to make.");
  const request = new Request("https://bench.example/v1/items", { headers: { accept: "application/json" } });
  const ctx = createContext({
    route: { operationId: "listItems", method: "GET", path: "/items" },
    params: {},
    env: {},
    requestId: "bench",
    waitUntil: () => {},
  });
  const chosen = plan.targets.map(() => 0);
  return {
    run(requests) {
      for (let i = 0; i < requests; i++) {
        const retries = plan.retries && mayRepeat(request) ? plan.retries.attempts : 0;
        const choice = choose(request, ctx);
        if (!("target" in choice)) throw new Error("Every breaker is open on the happy path.");
        const failed = plan.failing.has(STATUS);
        const { breaker } = choice.target;
        if (choice.admission && breaker!.record(choice.admission, failed, Date.now())) throw new Error("A success opened a breaker.");
        if (failed && retries > 0) throw new Error("A success would be retried.");
        chosen[plan.targets.indexOf(choice.target)]++;
      }
      return [...chosen];
    },
  };
}
