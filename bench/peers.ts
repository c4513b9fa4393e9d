/**
 * @module
 * Open peers outside Workers on the overhead bench's routes, origin and load:
 * Fastify on Node (routes and validation from the same OpenAPI document) and
 * HAProxy (rules written by hand), beside the bare Worker and Portico on plain
 * workerd. Every gateway is pinned to core 0 (only one carries load at a
 * time); the origin and the load generator share core 1. Measured in
 * alternating rounds, each variant compared with the bare Worker in the same
 * round. HAProxy's rows are left out where its binary is missing.
 *
 *   npm run bench:peers [-- --json --rounds 3 --requests 2000 --concurrency 8 --keys 100]
 *   HAPROXY=/path/to/haproxy npm run bench:peers
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { passChecks } from "./lib/checks.ts";
import { commonHelp, parseOptions, publish, runMain, stopwatch } from "./lib/cli.ts";
import { haproxyVersion, startHaproxy } from "./lib/haproxy-peer.ts";
import { createClient, unexpectedStatuses, type Client } from "./lib/load.ts";
import { startOrigin } from "./lib/origin.ts";
import { checksOf, shapesOf, type Work } from "./lib/overhead-routes.ts";
import { serveOverheadWorkers } from "./lib/overhead-workers.ts";
import { summarise, table } from "./lib/report.ts";
import { measureRounds } from "./lib/rounds.ts";
import { accepts, canPin, freePort, pinSelf } from "./lib/workerd.ts";
import { generateApiKey } from "../src/policies/authenticate/key-format.ts";

const DEFAULTS = { rounds: 3, requests: 2000, warmup: 500, concurrency: 8, budget: 90 };
const OWN = { keys: [100, 1] } satisfies Record<string, [number, number]>;

const HELP = `bench/peers.ts — Portico beside open peers outside Workers (Fastify on Node, HAProxy), same origin and load

Options:
  --keys <n>         rate-limit keys the requests take in turn (default ${OWN.keys[0]})
${commonHelp(DEFAULTS)}
--via is ignored. HAPROXY names the haproxy binary (default: haproxy on the PATH).`;

const FASTIFY_PEER = fileURLToPath(new URL("./lib/fastify-peer.ts", import.meta.url).href);
const ROOT = fileURLToPath(new URL("../", import.meta.url).href);
const START_TIMEOUT_MS = 30_000;

type Gateway = "bare" | "portico" | "fastify" | "haproxy";

/** Each variant: its name, the gateway that serves it, and the route's work. */
const VARIANTS: Array<[string, Gateway, Work]> = [
  ["bare", "bare", "forward"],
  ["Portico forward", "portico", "forward"],
  ["Portico auth+validation", "portico", "checked"],
  ["Portico + async limit", "portico", "async"],
  ["Fastify forward", "fastify", "forward"],
  ["Fastify auth+validation", "fastify", "checked"],
  ["Fastify + rate limit", "fastify", "async"],
  ["HAProxy forward", "haproxy", "forward"],
  ["HAProxy auth+validation", "haproxy", "checked"],
  ["HAProxy + rate limit", "haproxy", "async"],
];

const version = (pkg: string) => (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;

/** Runs the Fastify peer on its own process (pinned to `cores` when given) until it prints its port. */
function startFastify(upstream: string, apiKey: string, cores?: string): Promise<{ port: number; close: () => void }> {
  const args = [FASTIFY_PEER, upstream, apiKey];
  const [command, argv] = cores ? ["taskset", ["-c", cores, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill("SIGTERM"), reject(new Error("Fastify did not start listening in 30 s"))), START_TIMEOUT_MS);
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`the Fastify peer exited (${code}) before listening`))));
    child.stdout.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      resolve({ port: Number(chunk.toString().trim()), close: () => child.kill("SIGTERM") });
    });
  });
}

async function listening(port: number, failed: () => string | undefined): Promise<void> {
  const until = performance.now() + START_TIMEOUT_MS;
  while (!(await accepts(port))) {
    const log = failed();
    if (log !== undefined || performance.now() > until) throw new Error(`HAProxy did not start serving 127.0.0.1:${port}:\n${log ?? ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(settings: ReturnType<typeof options>): Promise<number> {
  const say = (line: string) => console.error(line);
  const { started, seconds } = stopwatch();
  const pinned = canPin();
  if (pinned) pinSelf("1");
  else say("taskset is missing: the gateways, the origin and the load generator share every core");
  const gatewayCores = pinned ? "0" : undefined;

  const work = mkdtempSync(join(tmpdir(), "portico-peers-"));
  const stops: Array<() => unknown> = [() => rmSync(work, { recursive: true, force: true })];
  try {
    const origin = await startOrigin();
    stops.unshift(origin.close);
    const apiKey = generateApiKey();
    const workers = await serveOverheadWorkers(work, origin.url, apiKey, gatewayCores);
    stops.unshift(workers.close);
    const fastify = await startFastify(origin.url, apiKey, gatewayCores);
    stops.unshift(fastify.close);
    const ports: Partial<Record<Gateway, number>> = { bare: workers.ports.bare, portico: workers.ports.portico, fastify: fastify.port };

    const haproxyBinary = process.env.HAPROXY || "haproxy";
    const haproxy = { version: await haproxyVersion(haproxyBinary), measured: false };
    if (haproxy.version) {
      ports.haproxy = await freePort();
      const served = await startHaproxy(haproxyBinary, work, ports.haproxy, origin.url, apiKey, gatewayCores);
      stops.unshift(served.close);
      await listening(ports.haproxy, served.exited);
      haproxy.measured = true;
    } else say(`HAProxy not found (${haproxyBinary}): its rows are not measured. \`apt-get install haproxy\`, or HAPROXY=<path>.`);
    say(
      `origin at ${origin.url}; serving (${Object.entries(ports)
        .map(([name, port]) => `${name} :${port}`)
        .join(", ")}) after ${seconds()} s`,
    );

    const clients = new Map<Gateway, Client>(
      Object.entries(ports).map(([gateway, port]) => [gateway as Gateway, createClient(new URL(`http://127.0.0.1:${port}`), settings.concurrency)]),
    );
    stops.unshift(() => clients.forEach((client) => client.close()));
    const measured = VARIANTS.filter(([, gateway]) => clients.has(gateway));
    const served = new Map(measured.map(([name, gateway, route]) => [name, { client: clients.get(gateway)!, route }]));

    let checks = 0;
    let failed = false;
    for (const [name, { client, route }] of served) {
      const own = checksOf(name, route, apiKey, origin);
      checks += own.length;
      if (!(await passChecks(client, own, say))) failed = true;
    }
    if (failed) return 1;
    say(`✔ ${checks} checks: every gateway answers with the origin's page; the key, the query and the limit are enforced alike`);

    const shapes = new Map(measured.map(([name, , route]) => [name, shapesOf(route, settings.keys, apiKey)]));
    const { batches, rounds } = await measureRounds(
      measured.map(([name]) => name),
      async (name, count) => {
        const batch = await served.get(name)!.client.batch(shapes.get(name)!, count, settings.concurrency);
        const unexpected = unexpectedStatuses(batch, 200);
        if (unexpected) throw new Error(`${name}: ${unexpected} among ${count} requests.`);
        return batch;
      },
      { ...settings, deadline: started + settings.budgetSeconds * 1000 },
      (line) => say(`${line} at ${seconds()} s`),
    );

    const summaries = summarise(batches, "bare");
    const elapsedSeconds = seconds();
    const fastifyVersion = version("fastify");
    const printed = [
      `${pinned ? "Each gateway pinned to core 0; origin and load generator on core 1" : "Unpinned"}: workerd (bare Worker, Portico), Fastify ${fastifyVersion} on Node ${process.versions.node}, ${haproxy.version ?? "HAProxy: not found here, not measured"}.`,
      `${rounds} round(s) × ${settings.requests} requests per variant after ${settings.warmup} to warm up, ${settings.concurrency} in flight over keep-alive HTTP/1.1, rate-limit keys key-0…key-${settings.keys - 1} in turn.`,
      "×bare: median over rounds of (variant ÷ bare Worker in that round). +µs/req: median over rounds of 1/throughput minus the bare Worker's.",
      "",
      table(summaries, "bare"),
      "",
      `total ${elapsedSeconds} s`,
    ].join("\n");
    const { help: _help, via: _via, ...shown } = settings;
    publish(settings.json, printed, {
      settings: shown,
      pinned,
      checks,
      rounds,
      elapsedSeconds,
      variants: summaries,
      fastify: { version: fastifyVersion },
      haproxy,
    });
    return 0;
  } finally {
    for (const stop of stops) await stop();
  }
}

const options = () => parseOptions(DEFAULTS, OWN);
await runMain(HELP, options, main);
