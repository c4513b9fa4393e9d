/**
 * @module
 * What the gateway costs against the physical limit: a bare Worker that only
 * fetches from the origin, and Portico forwarding to the same origin with no
 * policy, with an API key and validation, and with a rate limit added (async,
 * then strict). Every variant is bundled by `wrangler deploy --dry-run` and
 * served by plain `workerd serve`, pinned to one core; the origin and the load
 * generator share the other. Measured in alternating rounds, each compared
 * with the bare Worker in the same round.
 *
 *   npm run bench:overhead [-- --json --rounds 5 --requests 3000 --concurrency 8 --keys 100]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expectReply, passChecks, type Check } from "./lib/checks.ts";
import { commonHelp, parseOptions, publish, runMain, stopwatch } from "./lib/cli.ts";
import { buildBundle, bundleModules } from "./lib/gateway.ts";
import { createClient, unexpectedStatuses, type RequestShape } from "./lib/load.ts";
import { startOrigin } from "./lib/origin.ts";
import { summarise, table, type Column, type Summary } from "./lib/report.ts";
import { measureRounds } from "./lib/rounds.ts";
import { bundleEntry, canPin, freePort, pinSelf, startWorkerd, workerdConfig } from "./lib/workerd.ts";
import { generateApiKey } from "../src/policies/authenticate/key-format.ts";

const DEFAULTS = { rounds: 5, requests: 3000, warmup: 1000, concurrency: 8, budget: 120 };
const OWN = { keys: [100, 1] } satisfies Record<string, [number, number]>;

const HELP = `bench/overhead.ts — the gateway's cost against a bare Worker, on plain workerd

Options:
  --keys <n>         rate-limit keys the requests take in turn (default ${OWN.keys[0]})
${commonHelp(DEFAULTS)}
--via is ignored: every variant is served by plain workerd serve on its own socket.`;

const GATEWAY_ROOT = fileURLToPath(new URL("./gateways/overhead/", import.meta.url).href);
const CONSUMER_ENTRY = fileURLToPath(new URL("./gateways/overhead/worker.ts", import.meta.url).href);
const PASSTHROUGH_ENTRY = fileURLToPath(new URL("./gateways/overhead/passthrough.ts", import.meta.url).href);

const VARIANTS = ["bare", "forward", "auth+validation", "+ async limit", "+ strict limit"] as const;
type Variant = (typeof VARIANTS)[number];

/** The Portico route of each variant; the bare Worker takes any path. */
const PATHS: Record<Variant, string> = {
  bare: "/v1/forward/items",
  forward: "/v1/forward/items",
  "auth+validation": "/v1/checked/items",
  "+ async limit": "/v1/async/items",
  "+ strict limit": "/v1/strict/items",
};

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

/** Every request carries the same headers whatever the variant, so only the work done on them differs. */
function requestOf(variant: Variant, key: string, apiKey: string | undefined, query = "limit=10&sort=name"): RequestShape {
  const headers: Record<string, string> = { host: "bench.example", accept: "application/json", "x-bench-key": key };
  if (apiKey !== undefined) headers["x-api-key"] = apiKey;
  return { method: "GET", target: `${PATHS[variant]}?${query}`, headers };
}

const isOriginPage = (body: string) => Array.isArray((JSON.parse(body) as { items?: unknown }).items);

function checksFor(apiKey: string): Check[] {
  const page = (variant: Variant) =>
    expectReply(variant, "200 with the origin's page", requestOf(variant, "check", apiKey), 200, (reply) => isOriginPage(reply.body));
  return [
    ...VARIANTS.map(page),
    expectReply("auth+validation", "401 without an API key", requestOf("auth+validation", "check", undefined), 401, () => true),
    expectReply("auth+validation", "400 for limit=0", requestOf("auth+validation", "check", apiKey, "limit=0"), 400, () => true),
    expectReply(
      "+ async limit",
      "the policy announced",
      requestOf("+ async limit", "check", apiKey),
      200,
      (reply) => reply.headers["ratelimit-policy"] !== undefined,
    ),
    expectReply("+ strict limit", "the counter's answer", requestOf("+ strict limit", "check", apiKey), 200, (reply) =>
      /r=\d+/.test(String(reply.headers["ratelimit"])),
    ),
  ];
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
    const [bare, portico] = await Promise.all([
      bundleEntry(PASSTHROUGH_ENTRY, join(work, "bare"), "bare-passthrough"),
      buildBundle(GATEWAY_ROOT, work, CONSUMER_ENTRY).then(bundleModules),
    ]);
    const ports = { bare: await freePort(), portico: await freePort() };
    const config = join(work, "config.capnp");
    writeFileSync(
      config,
      workerdConfig(
        [
          { name: "bare", bundle: bare, port: ports.bare, vars: { UPSTREAM_URL: origin.url } },
          {
            name: "portico",
            bundle: portico,
            port: ports.portico,
            vars: { UPSTREAM_URL: origin.url, BENCH_API_KEY: apiKey },
            durableObjects: { RATE_LIMITER: "RateLimiter" },
          },
        ],
        work,
      ),
    );
    const workerd = await startWorkerd(config, [ports.bare, ports.portico], pinned ? "0" : undefined);
    stops.unshift(workerd.close);
    say(`origin at ${origin.url}; bundled and serving (bare :${ports.bare}, Portico :${ports.portico}) after ${seconds()} s`);

    const clients = {
      bare: createClient(new URL(`http://127.0.0.1:${ports.bare}`), settings.concurrency),
      portico: createClient(new URL(`http://127.0.0.1:${ports.portico}`), settings.concurrency),
    };
    stops.unshift(() => (clients.bare.close(), clients.portico.close()));
    const clientOf = (variant: Variant) => (variant === "bare" ? clients.bare : clients.portico);

    const checks = checksFor(apiKey);
    let failed = false;
    for (const check of checks) {
      if (!(await passChecks(clientOf(check.variant as Variant), [check], say))) failed = true;
    }
    if (failed) return 1;
    say(`✔ ${checks.length} checks: every variant answers with the origin's page; the key, the query and both limits are enforced`);

    const shapes = new Map(VARIANTS.map((variant) => [variant, Array.from({ length: settings.keys }, (_, i) => requestOf(variant, `key-${i}`, apiKey))]));
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
    const target: Column = { title: "target", cell: targetCell };
    const elapsedSeconds = seconds();
    const printed = [
      `Plain workerd serve (${pinned ? "pinned to core 0; origin and load generator on core 1" : "unpinned"}); origin: node:http on 127.0.0.1 answering a small JSON page; Node ${process.versions.node}.`,
      `${rounds} round(s) × ${settings.requests} requests per variant after ${settings.warmup} to warm up, ${settings.concurrency} in flight over keep-alive HTTP/1.1, rate-limit keys key-0…key-${settings.keys - 1} in turn.`,
      "×bare: median over rounds of (variant ÷ bare Worker in that round). +µs/req: median over rounds of 1/throughput minus the bare Worker's.",
      "",
      table(summaries, "bare", [target]),
      "",
      `total ${elapsedSeconds} s`,
    ].join("\n");
    const { help: _help, via: _via, ...shown } = settings;
    publish(settings.json, printed, { settings: shown, pinned, checks: checks.length, rounds, elapsedSeconds, variants: summaries });
    return 0;
  } finally {
    for (const stop of stops) await stop();
  }
}

const options = () => parseOptions(DEFAULTS, OWN);
await runMain(HELP, options, main);
