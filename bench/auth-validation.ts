/**
 * @module
 * What authentication and request validation cost a request. One Worker bundle
 * serves the same route five ways (plain, API key, validation, both, JWT); the
 * variants are measured in alternating rounds and compared with plain from the
 * same run, since a shared machine makes absolute figures move from run to run.
 *
 *   npm run bench:auth [-- --json --rounds 5 --requests 2000 --concurrency 4]
 */
import { fileURLToPath } from "node:url";
import { passChecks } from "./lib/checks.ts";
import { commonHelp, parseOptions, publish, runMain, stopwatch } from "./lib/cli.ts";
import { startGateway } from "./lib/gateway.ts";
import { unexpectedStatuses, type Batch } from "./lib/load.ts";
import { summarise, table } from "./lib/report.ts";
import { measureRounds } from "./lib/rounds.ts";
import { checksFor, makeCredentials, requestOf, VARIANTS, type Variant } from "./lib/requests.ts";

const DEFAULTS = { rounds: 5, requests: 2000, warmup: 500, concurrency: 4, budget: 90 };

const HELP = `bench/auth-validation.ts — the cost of authentication and request validation

Options:
${commonHelp(DEFAULTS)}`;

const GATEWAY_ROOT = fileURLToPath(new URL("./gateways/auth-validation/", import.meta.url).href);

async function main(settings: ReturnType<typeof options>): Promise<number> {
  const say = (line: string) => console.error(line);
  const { started, seconds } = stopwatch();
  const credentials = await makeCredentials();
  const server = await startGateway(GATEWAY_ROOT, { via: settings.via, apiKey: credentials.apiKey, bindings: { JWT_PUBLIC_KEY: credentials.jwtPublicKeyPem } });
  try {
    const client = server.client(settings.concurrency);
    say(`built, bundled and serving at ${server.url.origin} after ${seconds()} s`);

    const checks = checksFor(credentials);
    if (!(await passChecks(client, checks, say))) return 1;
    say(`✔ ${checks.length} checks: 200 for valid requests, 400 for invalid ones where validated, 401 without credentials where required`);

    const shapes = new Map(VARIANTS.map((variant) => [variant, requestOf(variant, credentials)]));
    const run = async (variant: Variant, count: number): Promise<Batch> => {
      const batch = await client.batch(shapes.get(variant)!, count, settings.concurrency);
      const unexpected = unexpectedStatuses(batch, 200);
      if (unexpected) throw new Error(`${variant}: ${unexpected} among ${count} valid requests.`);
      return batch;
    };
    const { batches, rounds } = await measureRounds(VARIANTS, run, { ...settings, deadline: started + settings.budgetSeconds * 1000 }, (line) =>
      say(`${line} at ${seconds()} s`),
    );

    const summaries = summarise(batches, "plain");
    const elapsedSeconds = seconds();
    const socket = settings.via === "direct" ? "the Worker's own socket" : "Miniflare's entry Worker";
    const heading = [
      `${rounds} round(s) × ${settings.requests} requests per variant, ${settings.concurrency} in flight, HTTP/1.1 keep-alive to workerd through ${socket}; mock handler; Node ${process.versions.node}.`,
      "×plain: median over rounds of (variant ÷ plain in that round). +µs/req: median over rounds of 1/throughput minus plain's, the time each request adds.",
    ].join("\n");
    const { help: _help, ...shown } = settings;
    publish(settings.json, `${heading}\n\n${table(summaries)}\n\ntotal ${elapsedSeconds} s`, {
      settings: { ...shown, rounds },
      checks: checks.length,
      elapsedSeconds,
      variants: summaries,
    });
    return 0;
  } finally {
    await server.close();
  }
}

const options = () => parseOptions(DEFAULTS);
await runMain(HELP, options, main);
