/**
 * @module
 * What telemetry costs a request. One document, one route answered by the mock
 * handler, is built four times with only `x-portico.telemetry` changed: none, the
 * default access log, traces sampled at 0, and traces sampled at 1 exported to a
 * real OTLP receiver on 127.0.0.1. One plain `workerd serve` serves the four,
 * pinned to one core; the load generator and the receiver share the other.
 * Measured in alternating rounds, each compared with `none` in the same round.
 *
 *   npm run bench:telemetry [-- --json --rounds 5 --requests 3000 --concurrency 8]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpuNs } from "./lib/cpu-time.ts";
import { commonHelp, parseOptions, publish, runMain, stopwatch } from "./lib/cli.ts";
import { buildBundle, bundleModules } from "./lib/gateway.ts";
import { createClient, unexpectedStatuses } from "./lib/load.ts";
import { summarise, table, type Column, type Summary } from "./lib/report.ts";
import { measureRounds } from "./lib/rounds.ts";
import { startTally } from "./lib/telemetry-tally.ts";
import { checkVariants, REQUEST, SERVICE, VARIANTS, writeProject, type Variant } from "./lib/telemetry-variants.ts";
import { canPin, freePort, pinSelf, startWorkerd, workerdConfig } from "./lib/workerd.ts";

const DEFAULTS = { rounds: 5, requests: 3000, warmup: 1000, concurrency: 8, budget: 90 };

const HELP = `bench/telemetry.ts — the cost of the access log and of traces, on plain workerd

Options:
${commonHelp(DEFAULTS)}
--via is ignored: every variant is served by plain workerd serve on its own socket.`;

type Measured = Summary & { linesPerRequest: number; spansPerRequest: number; cpuUsPerRequest: number };

const perRequest = (title: string, key: "linesPerRequest" | "spansPerRequest" | "cpuUsPerRequest", digits: number): Column<Measured> => ({
  title,
  cell: (s) => (Number.isFinite(s[key]) ? s[key].toFixed(digits) : "?"),
});

type Settings = ReturnType<typeof options>;

async function main(settings: Settings): Promise<number> {
  const say = (line: string) => console.error(line);
  const { started, seconds } = stopwatch();
  const work = mkdtempSync(join(tmpdir(), "portico-telemetry-"));
  const stops: Array<() => unknown> = [() => rmSync(work, { recursive: true, force: true })];
  try {
    const bundles = await Promise.all(VARIANTS.map((variant) => buildBundle(writeProject(work, variant), join(work, SERVICE[variant])).then(bundleModules)));
    say(`built and bundled ${VARIANTS.length} variants after ${seconds()} s`);

    const pinned = canPin();
    // After the builds (which use every core), before the receiver and workerd start.
    if (pinned) pinSelf("1");
    else say("taskset is missing: workerd, the receiver and the load generator share every core");
    const tally = await startTally(join(work, "workerd-stdout.log"));
    stops.unshift(tally.close);
    const ports = await Promise.all(VARIANTS.map(() => freePort()));
    const services = VARIANTS.map((variant, i) => ({ name: SERVICE[variant], bundle: bundles[i], port: ports[i], vars: { OTLP_TRACES_URL: tally.tracesUrl } }));
    const config = join(work, "config.capnp");
    writeFileSync(config, workerdConfig(services, work));
    const workerd = await startWorkerd(config, ports, pinned ? "0" : undefined, tally.stdout);
    stops.unshift(workerd.close);
    say(`serving on :${ports.join(", :")}; OTLP receiver at ${tally.tracesUrl} after ${seconds()} s`);

    const clients = new Map(VARIANTS.map((variant, i) => [variant, createClient(new URL(`http://127.0.0.1:${ports[i]}`), settings.concurrency)]));
    stops.unshift(() => clients.forEach((client) => client.close()));
    const clientOf = (variant: Variant) => clients.get(variant)!;

    const { failures, claims, sampledSpans } = await checkVariants(clientOf, tally);
    if (failures.length > 0) {
      say(`✘ ${failures.length} of ${claims} checks failed; nothing was measured:\n  ${failures.join("\n  ")}`);
      return 1;
    }
    say(
      `✔ ${claims} checks: 200 everywhere, no Server-Timing; an access line where on; no span unless sampled, ${sampledSpans.length} per sampled request (${sampledSpans.join(", ")})`,
    );

    const counts = new Map(VARIANTS.map((variant) => [variant, { requests: 0, lines: 0, spans: 0, cpuNs: 0 }]));
    const workerdCpu = () => (workerd.pid === undefined ? undefined : cpuNs(workerd.pid));
    /** measureRounds runs each variant once to warm up (when asked), then the rounds: only these are counted. */
    let batchesRun = 0;
    const warmups = settings.warmup > 0 ? VARIANTS.length : 0;
    const { batches, rounds } = await measureRounds(
      VARIANTS,
      async (variant, count) => {
        const cpuBefore = workerdCpu();
        const batch = await clientOf(variant).batch(REQUEST, count, settings.concurrency);
        const unexpected = unexpectedStatuses(batch, 200);
        if (unexpected) throw new Error(`${variant}: ${unexpected} among ${count} requests.`);
        // Outside the batch's time, and before the next batch: what it printed and exported arrives after its responses.
        const seen = await tally.settle();
        const cpu = (workerdCpu() ?? NaN) - (cpuBefore ?? NaN);
        if (batchesRun++ < warmups) return batch;
        const sum = counts.get(variant)!;
        counts.set(variant, { requests: sum.requests + count, lines: sum.lines + seen.lines, spans: sum.spans + seen.spans, cpuNs: sum.cpuNs + cpu });
        return batch;
      },
      { ...settings, deadline: started + settings.budgetSeconds * 1000 },
      (line) => say(`${line} at ${seconds()} s`),
    );

    const measured: Measured[] = summarise(batches, "none").map((s) => {
      const sum = counts.get(s.variant as Variant)!;
      return { ...s, linesPerRequest: sum.lines / sum.requests, spansPerRequest: sum.spans / sum.requests, cpuUsPerRequest: sum.cpuNs / 1000 / sum.requests };
    });
    const elapsedSeconds = seconds();
    const printed = [
      `Plain workerd serve (${pinned ? "pinned to core 0; load generator and OTLP receiver on core 1" : "unpinned"}); mock handler; OTLP receiver: node:http on 127.0.0.1; Node ${process.versions.node}.`,
      `${rounds} round(s) × ${settings.requests} requests per variant after ${settings.warmup} to warm up, ${settings.concurrency} in flight over keep-alive HTTP/1.1.`,
      "×none: median over rounds of (variant ÷ none in that round). +µs/req: median over rounds of 1/throughput minus none's.",
      "Over every measured batch: lines/req, lines workerd printed (the access log); spans/req, spans the receiver got; CPU µs/req, workerd's CPU time, background exports included.",
      "",
      table(measured, "none", [
        perRequest("lines/req", "linesPerRequest", 2),
        perRequest("spans/req", "spansPerRequest", 2),
        perRequest("CPU µs/req", "cpuUsPerRequest", 0),
      ]),
      "",
      `total ${elapsedSeconds} s`,
    ].join("\n");
    const { help: _help, via: _via, ...shown } = settings;
    publish(settings.json, printed, { settings: shown, pinned, checks: claims, sampledSpans, rounds, elapsedSeconds, variants: measured });
    return 0;
  } finally {
    for (const stop of stops) await stop();
  }
}

const options = () => parseOptions(DEFAULTS);
await runMain(HELP, options, main);
