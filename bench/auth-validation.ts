/**
 * @module
 * What authentication and request validation cost a request. One Worker bundle
 * serves the same route five ways (plain, API key, validation, both, JWT); the
 * variants are measured in alternating rounds and compared with plain from the
 * same run, since a shared machine makes absolute figures move from run to run.
 *
 *   npm run bench:auth [-- --json --rounds 5 --requests 2000 --concurrency 4]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildBundle, serveBundle } from "./lib/gateway.ts";
import { createClient, type Batch } from "./lib/load.ts";
import { summarise, table } from "./lib/report.ts";
import { checksFor, makeCredentials, requestOf, VARIANTS, type Check, type Variant } from "./lib/requests.ts";

const HELP = `bench/auth-validation.ts — the cost of authentication and request validation

Options:
  --rounds <n>       measured rounds, each variant once per round (default 5)
  --requests <n>     requests per variant per round (default 2000)
  --warmup <n>       requests per variant before the first round (default 500)
  --concurrency <n>  requests in flight (default 4)
  --via <socket>     direct: the Worker's own socket, as workerd serve listens (default);
                     entry: through Miniflare's entry Worker, as dispatchFetch goes
  --budget <s>       start no round after this many seconds (default 90)
  --json             print the results as JSON on stdout (the table goes to stderr)
  -h, --help         show this help`;

const GATEWAY_ROOT = fileURLToPath(new URL("./gateways/auth-validation/", import.meta.url).href);

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "5" },
      requests: { type: "string", default: "2000" },
      warmup: { type: "string", default: "500" },
      concurrency: { type: "string", default: "4" },
      via: { type: "string", default: "direct" },
      budget: { type: "string", default: "90" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const count = (name: "rounds" | "requests" | "warmup" | "concurrency" | "budget", min: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} takes a whole number of at least ${min}.`);
    return value;
  };
  if (values.via !== "direct" && values.via !== "entry") throw new Error("--via takes direct or entry.");
  return {
    help: values.help,
    via: values.via as "direct" | "entry",
    json: values.json,
    rounds: count("rounds", 1),
    requests: count("requests", 1),
    warmup: count("warmup", 0),
    concurrency: count("concurrency", 1),
    budgetSeconds: count("budget", 1),
  };
}

/** Sends each check's request once; returns what went wrong, one line each. */
async function failedChecks(client: ReturnType<typeof createClient>, checks: Check[]): Promise<string[]> {
  const failures: string[] = [];
  for (const check of checks) {
    const reply = await client.send(check.request);
    let holds = false;
    try {
      holds = check.holds(reply);
    } catch {
      // A body that is not JSON fails the check.
    }
    if (reply.status !== check.expect || !holds) {
      failures.push(`${check.variant}, ${check.what}: expected ${check.expect}, got ${reply.status} ${reply.body.slice(0, 300)}`);
    }
  }
  return failures;
}

async function main(): Promise<number> {
  const settings = options();
  if (settings.help) {
    console.log(HELP);
    return 0;
  }
  const say = (line: string) => console.error(line);
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const work = mkdtempSync(join(tmpdir(), "portico-bench-"));
  let server: Awaited<ReturnType<typeof serveBundle>> | undefined;
  let client: ReturnType<typeof createClient> | undefined;
  try {
    const bundle = await buildBundle(GATEWAY_ROOT, work);
    const credentials = await makeCredentials();
    server = await serveBundle({ bundle, apiKey: credentials.apiKey, jwtPublicKeyPem: credentials.jwtPublicKeyPem, via: settings.via });
    client = createClient(server.url, settings.concurrency);
    say(`built, bundled and serving at ${server.url.origin} after ${seconds()} s`);

    const checks = checksFor(credentials);
    const failures = await failedChecks(client, checks);
    if (failures.length > 0) {
      say(`✘ ${failures.length} of ${checks.length} checks failed; nothing was measured:\n  ${failures.join("\n  ")}`);
      return 1;
    }
    say(`✔ ${checks.length} checks: 200 for valid requests, 400 for invalid ones where validated, 401 without credentials where required`);

    const shapes = new Map(VARIANTS.map((variant) => [variant, requestOf(variant, credentials)]));
    const run = async (variant: Variant, count: number): Promise<Batch> => {
      const batch = await client!.batch(shapes.get(variant)!, count, settings.concurrency);
      const unexpected = [...batch.statuses].filter(([status]) => status !== 200);
      if (unexpected.length > 0) throw new Error(`${variant}: ${unexpected.map(([status, n]) => `${n} × ${status}`).join(", ")} among ${count} valid requests.`);
      return batch;
    };
    for (const variant of VARIANTS) if (settings.warmup > 0) await run(variant, settings.warmup);

    const batches = new Map<string, Batch[]>(VARIANTS.map((variant) => [variant, []]));
    let rounds = 0;
    while (rounds < settings.rounds) {
      if (rounds > 0 && performance.now() - started > settings.budgetSeconds * 1000) {
        say(`time budget of ${settings.budgetSeconds} s reached: stopping after ${rounds} round(s)`);
        break;
      }
      // Rotated each round, so no variant always runs first or right after another.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + rounds) % VARIANTS.length]);
      for (const variant of order) batches.get(variant)!.push(await run(variant, settings.requests));
      rounds++;
      say(`round ${rounds}/${settings.rounds} done at ${seconds()} s`);
    }

    const summaries = summarise(batches, "plain");
    const elapsedSeconds = Number(seconds());
    const socket = settings.via === "direct" ? "the Worker's own socket" : "Miniflare's entry Worker";
    const heading = [
      `${rounds} round(s) × ${settings.requests} requests per variant, ${settings.concurrency} in flight, HTTP/1.1 keep-alive to workerd through ${socket}; mock handler; Node ${process.versions.node}.`,
      "×plain: median over rounds of (variant ÷ plain in that round). +µs/req: median over rounds of 1/throughput minus plain's, the time each request adds.",
    ].join("\n");
    const printed = `${heading}\n\n${table(summaries)}\n\ntotal ${elapsedSeconds} s`;
    if (settings.json) {
      say(printed);
      const { help: _help, ...shown } = settings;
      console.log(JSON.stringify({ settings: { ...shown, rounds }, checks: checks.length, elapsedSeconds, variants: summaries }, null, 2));
    } else {
      console.log(printed);
    }
    return 0;
  } finally {
    client?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`✘ ${(error as Error).message}`);
  process.exitCode = 1;
}
