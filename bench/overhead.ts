/**
 * @module
 * What the gateway costs against the physical limit: a bare Worker that only
 * fetches from the origin, and Portico forwarding to the same origin with no
 * policy, with an API key and validation, and with a rate limit added (async,
 * then strict); and against a hand-written Hono Worker doing the same work on
 * the same routes (gateways/overhead/hono.ts). Every variant is bundled by
 * `wrangler deploy --dry-run` and served by the same plain `workerd serve`,
 * pinned to one core; the origin and the load generator share the other.
 * Measured in alternating rounds, each compared with the bare Worker, and each
 * Portico variant with its Hono peer, in the same round.
 *
 *   npm run bench:overhead [-- --json --rounds 5 --requests 3000 --concurrency 8 --keys 100]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { passChecks } from "./lib/checks.ts";
import { commonHelp, parseOptions, publish, runMain, stopwatch } from "./lib/cli.ts";
import { createClient, unexpectedStatuses } from "./lib/load.ts";
import { startOrigin } from "./lib/origin.ts";
import { checksOf, shapesOf, type Work } from "./lib/overhead-routes.ts";
import { serveOverheadWorkers, type OverheadWorker } from "./lib/overhead-workers.ts";
import { peerColumn, peerVerdicts } from "./lib/peer-verdicts.ts";
import { summarise, table, type Column, type Summary } from "./lib/report.ts";
import { measureRounds } from "./lib/rounds.ts";
import { canPin, pinSelf } from "./lib/workerd.ts";
import { generateApiKey } from "../src/policies/authenticate/key-format.ts";

const DEFAULTS = { rounds: 5, requests: 3000, warmup: 1000, concurrency: 8, budget: 120 };
const OWN = { keys: [100, 1] } satisfies Record<string, [number, number]>;

const HELP = `bench/overhead.ts — the gateway's cost against a bare Worker and a hand-written Hono Worker, on plain workerd

Options:
  --keys <n>         rate-limit keys the requests take in turn (default ${OWN.keys[0]})
${commonHelp(DEFAULTS)}
--via is ignored: every variant is served by plain workerd serve on its own socket.`;

/** Each Portico variant is followed by the hand-written Hono Worker doing the same work, when it has one. */
const VARIANTS = [
  "bare",
  "forward",
  "Hono forward",
  "auth+validation",
  "Hono auth+validation",
  "+ async limit",
  "Hono + async limit",
  "+ strict limit",
] as const;
type Variant = (typeof VARIANTS)[number];

/** The Worker that serves each variant, and the route's work. */
const SERVED: Record<Variant, [OverheadWorker, Work]> = {
  bare: ["bare", "forward"],
  forward: ["portico", "forward"],
  "Hono forward": ["hono", "forward"],
  "auth+validation": ["portico", "checked"],
  "Hono auth+validation": ["hono", "checked"],
  "+ async limit": ["portico", "async"],
  "Hono + async limit": ["hono", "async"],
  "+ strict limit": ["portico", "strict"],
};

/** Each Portico variant and the peer it is judged against. */
const PEERS = { forward: "Hono forward", "auth+validation": "Hono auth+validation", "+ async limit": "Hono + async limit" } satisfies Partial<
  Record<Variant, Variant>
>;

/** Throughput at least this share of the bare Worker's, p99 at most this multiple of its. */
const TARGETS: Partial<Record<Variant, { throughput: number; p99?: number }>> = {
  "auth+validation": { throughput: 0.9, p99: 1.2 },
  "+ async limit": { throughput: 0.9, p99: 1.2 },
  "+ strict limit": { throughput: 0.6 },
};

function targetCell(summary: Summary): string {
  const target = TARGETS[summary.variant as Variant];
  if (!target) return "";
  const throughputOk = summary.ratio.requestsPerSecond >= target.throughput;
  const p99Ok = target.p99 === undefined || summary.ratio.p99 <= target.p99;
  const wanted = `≥${target.throughput.toFixed(2)} req/s${target.p99 === undefined ? "" : `, ≤${target.p99.toFixed(1)} p99`}`;
  return `${throughputOk && p99Ok ? "met" : "MISSED"} (${wanted})`;
}

type Settings = ReturnType<typeof options>;

async function main(settings: Settings): Promise<number> {
  const say = (line: string) => console.error(line);
  const { started, seconds } = stopwatch();
  const pinned = canPin();
  // Before the origin starts, so it inherits the load generator's core.
  if (pinned) pinSelf("1");
  else say("taskset is missing: workerd, the origin and the load generator share every core");

  const work = mkdtempSync(join(tmpdir(), "portico-overhead-"));
  const stops: Array<() => unknown> = [() => rmSync(work, { recursive: true, force: true })];
  try {
    const origin = await startOrigin();
    stops.unshift(origin.close);
    const apiKey = generateApiKey();
    const workers = await serveOverheadWorkers(work, origin.url, apiKey, pinned ? "0" : undefined);
    stops.unshift(workers.close);
    const { ports } = workers;
    say(`origin at ${origin.url}; bundled and serving (bare :${ports.bare}, Portico :${ports.portico}, Hono :${ports.hono}) after ${seconds()} s`);

    const clients = new Map(Object.entries(ports).map(([worker, port]) => [worker, createClient(new URL(`http://127.0.0.1:${port}`), settings.concurrency)]));
    stops.unshift(() => clients.forEach((client) => client.close()));
    const clientOf = (variant: Variant) => clients.get(SERVED[variant][0])!;

    let checks = 0;
    let failed = false;
    for (const variant of VARIANTS) {
      const own = checksOf(variant, SERVED[variant][1], apiKey, origin);
      checks += own.length;
      if (!(await passChecks(clientOf(variant), own, say))) failed = true;
    }
    if (failed) return 1;
    say(`✔ ${checks} checks: every variant answers with the origin's page; the key, the query and the limits are enforced alike`);

    const shapes = new Map(VARIANTS.map((variant) => [variant, shapesOf(SERVED[variant][1], settings.keys, apiKey)]));
    const { batches, rounds } = await measureRounds(
      VARIANTS,
      async (variant, count) => {
        const batch = await clientOf(variant).batch(shapes.get(variant)!, count, settings.concurrency);
        const unexpected = unexpectedStatuses(batch, 200);
        if (unexpected) throw new Error(`${variant}: ${unexpected} among ${count} requests.`);
        return batch;
      },
      { ...settings, deadline: started + settings.budgetSeconds * 1000 },
      (line) => say(`${line} at ${seconds()} s`),
    );

    const summaries = summarise(batches, "bare");
    const peers = peerVerdicts(summaries, PEERS, "bare");
    const target: Column = { title: "target", cell: targetCell };
    const elapsedSeconds = seconds();
    const printed = [
      `Plain workerd serve (${pinned ? "pinned to core 0; origin and load generator on core 1" : "unpinned"}); origin: node:http on 127.0.0.1 answering a small JSON page; Node ${process.versions.node}.`,
      `${rounds} round(s) × ${settings.requests} requests per variant after ${settings.warmup} to warm up, ${settings.concurrency} in flight over keep-alive HTTP/1.1, rate-limit keys key-0…key-${settings.keys - 1} in turn.`,
      "×bare: median over rounds of (variant ÷ bare Worker in that round). +µs/req: median over rounds of 1/throughput minus the bare Worker's.",
      "against Hono: median over rounds of (variant's ×bare − the Hono Worker's ×bare) and of (variant's p99 ÷ the Hono Worker's), each from one round; met at ≥ −0.05 and ≤ ×1.20.",
      "",
      table(summaries, "bare", [target, peerColumn(peers, "against Hono")]),
      "",
      `total ${elapsedSeconds} s`,
    ].join("\n");
    const { help: _help, via: _via, ...shown } = settings;
    publish(settings.json, printed, { settings: shown, pinned, checks, rounds, elapsedSeconds, variants: summaries, peers });
    return 0;
  } finally {
    for (const stop of stops) await stop();
  }
}

const options = () => parseOptions(DEFAULTS, OWN);
await runMain(HELP, options, main);
