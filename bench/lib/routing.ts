/**
 * @module
 * The per-request cost of routing as the API grows: each size's bundle served
 * by plain workerd, its last templated route asked one request at a time, the
 * sizes in an order rotated every round, each compared with the smallest.
 */
import { createClient, median, quantile } from "./load.ts";
import { startWorkerd } from "./workerd-serve.ts";

export interface RoutingResult {
  routes: number;
  requests: number;
  medianUs: number;
  p99Us: number;
  /** Median over rounds of (this size's median ÷ 10 routes' median in the same round). */
  ratio: number;
  rounds: number[];
}

/** Sequential requests to each size's last templated route, sizes in an order rotated every round. */
export async function measureRouting(
  targets: Array<{ routes: number; bundle: string; path: string }>,
  settings: { rounds: number; requests: number },
  overBudget: () => boolean,
  say: (line: string) => void,
): Promise<RoutingResult[]> {
  if (targets.length === 0) return [];
  const servers = [];
  try {
    for (const target of targets) {
      const started = await startWorkerd(target.bundle, target.path);
      servers.push({ ...target, started, client: createClient(started.url, 1), latencies: [] as number[], roundMedians: [] as number[] });
    }
    for (const server of servers) await server.client.batch({ method: "GET", target: server.path, headers: {} }, Math.min(500, settings.requests), 1);
    for (let round = 0; round < settings.rounds && (round === 0 || !overBudget()); round++) {
      for (let i = 0; i < servers.length; i++) {
        const server = servers[(i + round) % servers.length];
        const batch = await server.client.batch({ method: "GET", target: server.path, headers: {} }, settings.requests, 1);
        const others = [...batch.statuses].filter(([status]) => status !== 200);
        if (others.length > 0) throw new Error(`${server.routes} routes: ${others.map(([status, n]) => `${n} × ${status}`).join(", ")} instead of 200`);
        const sorted = Float64Array.from(batch.latencies).sort();
        server.latencies.push(...batch.latencies);
        server.roundMedians.push(quantile(sorted, 0.5));
      }
      say(`routing round ${round + 1}: ${servers.map((server) => `${server.routes} routes ${server.roundMedians.at(-1)!.toFixed(0)} µs`).join(", ")}`);
    }
    const base = servers[0].roundMedians;
    return servers.map((server) => {
      const sorted = Float64Array.from(server.latencies).sort();
      return {
        routes: server.routes,
        requests: sorted.length,
        medianUs: quantile(sorted, 0.5),
        p99Us: quantile(sorted, 0.99),
        ratio: median(server.roundMedians.map((value, round) => value / base[round])),
        rounds: server.roundMedians,
      };
    });
  } finally {
    for (const server of servers) {
      server.client.close();
      await server.started.stop();
    }
  }
}
