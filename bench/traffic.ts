/**
 * @module
 * What the gateway's traffic management costs. First, a cache hit against a
 * bare Worker answering the same page itself, against a bare Worker answering
 * it from the Cache API, and against the same route without the cache (every
 * request forwarded to a local origin): served by Miniflare, whose local Cache
 * API plain `workerd serve` lacks, and measured in alternating rounds, each
 * compared with the bare Worker in the same round.
 * Then forward's bookkeeping for an upstream group on the happy path (choose a
 * target by weight, its circuit breaker, the retry decision), timed inside the
 * isolate and, as a reference, in Node on the same module.
 *
 *   npm run bench:traffic [-- --json --rounds 5 --requests 3000 --concurrency 8 --iterations 100000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { commonHelp, parseOptions, publish, runMain, stopwatch } from "./lib/cli.ts";
import { describeMachinery, judge, machineryInNode, machineryInWorkerd } from "./lib/forward-machinery-timing.ts";
import { buildBundle } from "./lib/gateway.ts";
import { createClient, unexpectedStatuses } from "./lib/load.ts";
import { serveWorkers } from "./lib/miniflare-workers.ts";
import { PAGE, startOrigin } from "./lib/origin.ts";
import { summarise, table, type Column, type Summary } from "./lib/report.ts";
import { measureRounds } from "./lib/rounds.ts";
import { checkStillCached, checkVariants, originTotal, requestOf, VARIANTS, type Variant } from "./lib/traffic-checks.ts";
import { bundleEntry } from "./lib/workerd.ts";

const DEFAULTS = { rounds: 5, requests: 3000, warmup: 500, concurrency: 8, budget: 90 };
const OWN = { iterations: [100_000, 1000], repeats: [5, 1] } satisfies Record<string, [number, number]>;

const HELP = `bench/traffic.ts — a cache hit against a bare Worker, and forward's traffic management per request

Options:
  --iterations <n>   requests' bookkeeping per timing of forward's machinery (default ${OWN.iterations[0]})
  --repeats <n>      timings of forward's machinery, in workerd and in Node (default ${OWN.repeats[0]})
${commonHelp(DEFAULTS)}
--via is ignored: every Worker is served on its own socket by Miniflare.`;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url).href);
const GATEWAY_ROOT = here("./gateways/traffic/");
const GATEWAY_ENTRY = here("./gateways/traffic/worker.ts");
const BARE_ENTRY = here("./gateways/traffic/bare.ts");
const BARE_CACHE_ENTRY = here("./gateways/traffic/bare-cache.ts");
const MACHINERY_ENTRY = here("./gateways/traffic/machinery-worker.ts");

/** The Worker (Miniflare's name for it) that answers each variant. */
const WORKER_OF: Record<Variant, string> = { bare: "bare", "bare cache hit": "bare-cache", "cache hit": "portico", "no cache": "portico" };

type Measured = Summary & { originPerRequest: number };

const originColumn: Column<Measured> = { title: "origin/req", cell: (s) => s.originPerRequest.toFixed(2) };

type Settings = ReturnType<typeof options>;

async function main(settings: Settings): Promise<number> {
  const say = (line: string) => console.error(line);
  const { started, seconds } = stopwatch();
  const work = mkdtempSync(join(tmpdir(), "portico-traffic-"));
  const stops: Array<() => unknown> = [() => rmSync(work, { recursive: true, force: true })];
  try {
    const origin = await startOrigin();
    stops.unshift(origin.close);
    const mainModule = (bundle: { dir: string; modules: string[] }) => join(bundle.dir, bundle.modules[0]);
    const [portico, bare, bareCache, machinery] = await Promise.all([
      buildBundle(GATEWAY_ROOT, join(work, "portico"), GATEWAY_ENTRY),
      bundleEntry(BARE_ENTRY, join(work, "bare"), "traffic-bare").then(mainModule),
      bundleEntry(BARE_CACHE_ENTRY, join(work, "bare-cache"), "traffic-bare-cache").then(mainModule),
      bundleEntry(MACHINERY_ENTRY, join(work, "machinery"), "traffic-machinery").then(mainModule),
    ]);
    const server = await serveWorkers([
      { name: "bare", bundle: bare, bindings: { PAGE } },
      { name: "bare-cache", bundle: bareCache, bindings: { PAGE } },
      { name: "portico", bundle: portico, bindings: { UPSTREAM_URL: origin.url }, durableObjects: { CACHE_PURGE: "CachePurges" } },
      { name: "machinery", bundle: machinery },
    ]);
    stops.unshift(server.close);
    const url = (name: string) => server.urls.get(name)!;
    say(`origin at ${origin.url}; built, bundled and served by Miniflare (bare ${url("bare").host}, Portico ${url("portico").host}) after ${seconds()} s`);

    const clients = new Map([...new Set(Object.values(WORKER_OF))].map((name) => [name, createClient(url(name), settings.concurrency)]));
    stops.unshift(() => clients.forEach((client) => client.close()));
    const clientOf = (variant: Variant) => clients.get(WORKER_OF[variant])!;

    const { failures, claims } = await checkVariants(clientOf, origin);
    if (failures.length > 0) {
      say(`✘ ${failures.length} of ${claims} checks failed; nothing was measured:\n  ${failures.join("\n  ")}`);
      return 1;
    }
    say(
      `✔ ${claims} checks: the bare Workers answer alone, one from the Cache API; without the cache each request reaches the origin; with it, one miss stored, then hits`,
    );

    const originCalls = new Map(VARIANTS.map((variant) => [variant, { requests: 0, calls: 0 }]));
    let batchesRun = 0;
    const warmups = settings.warmup > 0 ? VARIANTS.length : 0;
    const shapes = new Map(VARIANTS.map((variant) => [variant, requestOf(variant)]));
    const { batches, rounds } = await measureRounds(
      VARIANTS,
      async (variant, count) => {
        const before = await originTotal(origin);
        const batch = await clientOf(variant).batch(shapes.get(variant)!, count, settings.concurrency);
        const unexpected = unexpectedStatuses(batch, 200);
        if (unexpected) throw new Error(`${variant}: ${unexpected} among ${count} requests.`);
        const calls = (await originTotal(origin)) - before;
        if (variant === "cache hit" && calls > 0) throw new Error(`cache hit: the origin was called ${calls} time(s) in ${count} requests.`);
        if (batchesRun++ < warmups) return batch;
        const sum = originCalls.get(variant)!;
        originCalls.set(variant, { requests: sum.requests + count, calls: sum.calls + calls });
        return batch;
      },
      { ...settings, deadline: started + settings.budgetSeconds * 1000 },
      (line) => say(`${line} at ${seconds()} s`),
    );
    const stillCached = await checkStillCached(clientOf("cache hit"), origin);
    if (stillCached) throw new Error(stillCached);

    const measured: Measured[] = summarise(batches, "bare").map((s) => {
      const sum = originCalls.get(s.variant as Variant)!;
      return { ...s, originPerRequest: sum.calls / sum.requests };
    });

    say(`timing forward's machinery: ${settings.repeats} × ${settings.iterations} requests in workerd, then in Node, at ${seconds()} s`);
    const plan = { iterations: settings.iterations, repeats: settings.repeats };
    const inWorkerd = await machineryInWorkerd(url("machinery"), plan);
    const inNode = machineryInNode(plan);

    const elapsedSeconds = seconds();
    const printed = [
      `Miniflare (one workerd process: the Workers, the local Cache API and the Durable Objects), unpinned; each Worker on its own socket; origin: node:http on 127.0.0.1; Node ${process.versions.node}.`,
      `${rounds} round(s) × ${settings.requests} requests per variant after ${settings.warmup} to warm up, ${settings.concurrency} in flight over keep-alive HTTP/1.1.`,
      "bare: a Worker answering the page itself. bare cache hit: a Worker answering it from caches.default. cache hit: Portico, cache by: shared, ttl 300, every measured request a hit. no cache: the same route without the cache, forwarded.",
      "×bare: median over rounds of (variant ÷ bare Worker in that round). +µs/req: median over rounds of 1/throughput minus the bare Worker's. origin/req: origin requests per measured request.",
      "",
      table(measured, "bare", [originColumn]),
      "",
      ...describeMachinery(plan, inWorkerd, inNode),
      "",
      `total ${elapsedSeconds} s`,
    ].join("\n");
    const { help: _help, via: _via, ...shown } = settings;
    publish(settings.json, printed, {
      settings: shown,
      checks: claims,
      rounds,
      elapsedSeconds,
      variants: measured,
      machinery: { ...judge(inWorkerd, inNode), workerd: inWorkerd, node: inNode },
    });
    return 0;
  } finally {
    for (const stop of stops) await stop();
  }
}

const options = () => parseOptions(DEFAULTS, OWN);
await runMain(HELP, options, main);
