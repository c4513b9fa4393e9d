/**
 * @module
 * The Workers of the overhead bench, bundled by `wrangler deploy --dry-run`
 * and served by one plain `workerd serve` (pinned to core 0 when it can be):
 * the bare passthrough Worker, the Portico gateway of gateways/overhead with
 * its one-consumer store, and the hand-written Hono peer beside it, each on
 * its own 127.0.0.1 port, all forwarding to the same origin.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildBundle, bundleModules } from "./gateway.ts";
import { bundleEntry, freePort, startWorkerd, workerdConfig, type WorkerService } from "./workerd.ts";

const GATEWAY_ROOT = fileURLToPath(new URL("../gateways/overhead/", import.meta.url).href);
const CONSUMER_ENTRY = fileURLToPath(new URL("../gateways/overhead/worker.ts", import.meta.url).href);
const PASSTHROUGH_ENTRY = fileURLToPath(new URL("../gateways/overhead/passthrough.ts", import.meta.url).href);
const HONO_ENTRY = fileURLToPath(new URL("../gateways/overhead/hono.ts", import.meta.url).href);

export type OverheadWorker = "bare" | "portico" | "hono";

export interface OverheadWorkers {
  ports: Record<OverheadWorker, number>;
  pid: number | undefined;
  close: () => Promise<void>;
}

/** Bundles the three Workers in `work` and serves them until `close`. */
export async function serveOverheadWorkers(work: string, upstreamUrl: string, apiKey: string, cores?: string): Promise<OverheadWorkers> {
  const [bare, portico, hono] = await Promise.all([
    bundleEntry(PASSTHROUGH_ENTRY, join(work, "bare"), "bare-passthrough"),
    buildBundle(GATEWAY_ROOT, work, CONSUMER_ENTRY).then(bundleModules),
    bundleEntry(HONO_ENTRY, join(work, "hono"), "hono-peer"),
  ]);
  const ports = { bare: await freePort(), portico: await freePort(), hono: await freePort() };
  const vars = { UPSTREAM_URL: upstreamUrl, BENCH_API_KEY: apiKey };
  const services: WorkerService[] = [
    { name: "bare", bundle: bare, port: ports.bare, vars: { UPSTREAM_URL: upstreamUrl } },
    { name: "portico", bundle: portico, port: ports.portico, vars, durableObjects: { RATE_LIMITER: "RateLimiter" } },
    { name: "hono", bundle: hono, port: ports.hono, vars, durableObjects: { COUNTER: "RequestCounter" } },
  ];
  const config = join(work, "config.capnp");
  writeFileSync(config, workerdConfig(services, work));
  const workerd = await startWorkerd(config, Object.values(ports), cores);
  return { ports, pid: workerd.pid, close: workerd.close };
}
