/**
 * @module
 * What the rate-limit policy costs a request, in each mode. One Worker bundle
 * serves the same route with no limit, an async limit and a strict one (both
 * far above the load, over 100 keys); they are measured in alternating rounds
 * and compared with no limit from the same run. A second part puts every
 * request on one key, many in flight, to see what one counter object sustains.
 * The bench's own Worker entry counts the Durable Object requests each mode makes.
 *
 *   npm run bench:rate-limit [-- --json --rounds 5 --requests 2000 --concurrency 4 --keys 100 --saturate 64]
 */
import { fileURLToPath } from "node:url";
import { passChecks } from "./lib/checks.ts";
import { commonHelp, parseOptions, publish, runMain, stopwatch } from "./lib/cli.ts";
import { startGateway } from "./lib/gateway.ts";
import {
  checksFor,
  DurableTally,
  durableRequests,
  overLimit,
  OVER_LIMIT_REQUESTS,
  requestOf,
  spreadOver,
  VARIANTS,
  type AsyncOverLimit,
  type OverLimit,
} from "./lib/limits.ts";
import { unexpectedStatuses, type Batch, type Client, type RequestShape } from "./lib/load.ts";
import { summarise, table, type Column, type Summary } from "./lib/report.ts";
import { measureRounds } from "./lib/rounds.ts";

const DEFAULTS = { rounds: 5, requests: 2000, warmup: 500, concurrency: 4, budget: 100 };
const OWN = { keys: [100, 1], saturate: [64, 1] } satisfies Record<string, [number, number]>;
const STORAGE = { storage: ["memory", "disk"] } as const;

const HELP = `bench/rate-limit.ts — the cost of the rate-limit policy, async and strict

Options:
  --keys <n>         keys the requests of part 1 take in turn (default ${OWN.keys[0]})
  --saturate <n>     requests in flight in part 2, all on one key (default ${OWN.saturate[0]})
  --storage <where>  the counters' SQLite storage: memory (default), or disk as in wrangler dev,
                     whose writes then run on workerd's one thread, in every request's way
${commonHelp(DEFAULTS)}
Part 1 may start rounds until half the budget has passed, part 2 until all of it.`;

const GATEWAY_ROOT = fileURLToPath(new URL("./gateways/rate-limit/", import.meta.url).href);
const COUNTING_ENTRY = fileURLToPath(new URL("./gateways/rate-limit/worker.ts", import.meta.url).href);

/** Part 2's variants: the same load with no limit, strict over the keys, and each mode on one key. */
const SATURATION = ["unlimited", "strict", "strict, 1 key", "async, 1 key"] as const;

/** Lines the Worker logged because the counter did not answer, and how many of those said "overloaded". */
function unavailableCounter() {
  const seen = { unavailable: 0, overloaded: 0, other: [] as string[] };
  const onLog = ({ level, message }: { level: string; message: string }) => {
    if (message.includes("rate limiter unavailable")) {
      seen.unavailable++;
      if (message.includes('"overloaded":true')) seen.overloaded++;
    } else if (level === "error" && seen.other.length < 5) seen.other.push(message.slice(0, 300));
  };
  return { seen, onLog };
}

type Measured = Summary & { durableRequestsPerThousand: number; notOk: number };

/** Adds each variant's Durable Object requests per 1,000 requests, and its responses other than 200. */
function withCounts(summaries: Summary[], tally: DurableTally, batches: Map<string, Batch[]>): Measured[] {
  return summaries.map((s) => ({
    ...s,
    durableRequestsPerThousand: tally.perThousand(s.variant),
    notOk: batches.get(s.variant)!.reduce((sum, batch) => sum + batch.latencies.length - (batch.statuses.get(200) ?? 0), 0),
  }));
}

type Settings = ReturnType<typeof options>;

function render(
  settings: Settings,
  parts: Record<"perRequest" | "oneKey", { rounds: number; variants: Measured[] }>,
  over: OverLimit[],
  logged: ReturnType<typeof unavailableCounter>["seen"],
  elapsedSeconds: number,
) {
  const durable: Column<Measured> = { title: "DO req/1k", cell: (s) => s.durableRequestsPerThousand.toFixed(1) };
  const notOk: Column<Measured> = { title: "not 200", cell: (s) => String(s.notOk) };
  const socket = settings.via === "direct" ? "the Worker's own socket" : "Miniflare's entry Worker";
  const otherErrors = logged.other.length > 0 ? ` Other errors logged: ${logged.other.join(" | ")}` : "";
  return [
    `HTTP/1.1 keep-alive to workerd through ${socket}; mock handler; limit 1,000,000 a minute per key; counters stored ${settings.storage === "disk" ? "on disk" : "in memory"}; Node ${process.versions.node}.`,
    "×unlimited: median over rounds of (variant ÷ unlimited in that round). +µs/req: median over rounds of 1/throughput minus unlimited's.",
    "DO req/1k: calls the RateLimiter objects received (check, and charge for async reports) per 1,000 gateway requests, counted by the bench's Worker entry.",
    "",
    `1. Per-request cost: ${parts.perRequest.rounds} round(s) × ${settings.requests} requests per variant, ${settings.concurrency} in flight, keys key-0…key-${settings.keys - 1} in turn.`,
    "",
    table(parts.perRequest.variants, "unlimited", [durable]),
    "",
    `2. One key: ${parts.oneKey.rounds} round(s) × ${settings.requests} requests per variant, ${settings.saturate} in flight; "strict, 1 key" and "async, 1 key" send every request on one key.`,
    "",
    table(parts.oneKey.variants, "unlimited", [durable, notOk]),
    "",
    `Counter unavailable: ${logged.unavailable} log line(s), ${logged.overloaded} of them "overloaded".${otherErrors}`,
    "",
    `3. Over the limit: ${OVER_LIMIT_REQUESTS} requests on one fresh key, limit 5 a minute, ${settings.concurrency} in flight.`,
    "",
    ...over.map(
      (o) =>
        `${o.variant.padEnd(16)} ${String(o.admitted).padStart(4)} admitted  ${String(o.refused).padStart(4)} refused  ${o.durableRequestsPerThousand.toFixed(1).padStart(6)} DO req/1k`,
    ),
    "",
    `total ${elapsedSeconds} s`,
  ].join("\n");
}

async function main(settings: Settings): Promise<number> {
  const say = (line: string) => console.error(line);
  const { started, seconds } = stopwatch();
  const logs = unavailableCounter();
  const server = await startGateway(GATEWAY_ROOT, {
    via: settings.via,
    wrapper: COUNTING_ENTRY,
    durableObjects: { RATE_LIMITER: "RateLimiter" },
    durableStorage: settings.storage,
    onLog: logs.onLog,
  });
  try {
    const client = server.client(settings.concurrency);
    const crowd = server.client(settings.saturate);
    say(`built, bundled and serving at ${server.url.origin} after ${seconds()} s`);

    const seen: { asyncOverLimit?: AsyncOverLimit } = {};
    const checks = checksFor(seen);
    if (!(await passChecks(client, checks, say))) return 1;
    const over = seen.asyncOverLimit!;
    say(`✔ ${checks.length} checks: each route counts as it claims; with a limit of 5, strict refuses from the 6th request and async from memory`);
    say(
      `  async over its limit: ${over.sent} requests on one key, ${over.admitted} admitted, ${over.refused} refused, ${over.durableRequests} Durable Object requests`,
    );

    /** Sends a batch, then counts the Durable Object requests it made once they have all arrived. */
    const measure =
      (target: Client, concurrency: number, shapes: Map<string, readonly RequestShape[]>, tally: DurableTally, only200: boolean) =>
      async (variant: string, count: number) => {
        const before = await durableRequests(target);
        const batch = await target.batch(shapes.get(variant)!, count, concurrency);
        tally.add(variant, count, (await durableRequests(target)) - before);
        const unexpected = unexpectedStatuses(batch, 200);
        if (only200 && unexpected) throw new Error(`${variant}: ${unexpected} among ${count} requests under the limit.`);
        return batch;
      };
    const progress = (part: string) => (line: string) => say(`${part}: ${line} at ${seconds()} s`);

    const tallies = { perRequest: new DurableTally(), oneKey: new DurableTally() };
    const spread = new Map(VARIANTS.map((variant) => [variant as string, spreadOver(variant, settings.keys)]));
    const perRequest = await measureRounds(
      VARIANTS,
      measure(client, settings.concurrency, spread, tallies.perRequest, true),
      { ...settings, deadline: started + (settings.budgetSeconds * 1000) / 2 },
      progress("part 1"),
    );
    const crowded = new Map([...spread, ["strict, 1 key", [requestOf("strict", "one-key")]], ["async, 1 key", [requestOf("async", "one-key")]]]);
    const oneKey = await measureRounds(
      SATURATION,
      measure(crowd, settings.saturate, crowded, tallies.oneKey, false),
      { ...settings, deadline: started + settings.budgetSeconds * 1000 },
      progress("part 2"),
    );

    const farOver = await overLimit(client, settings.concurrency);
    const parts = {
      perRequest: { rounds: perRequest.rounds, variants: withCounts(summarise(perRequest.batches, "unlimited"), tallies.perRequest, perRequest.batches) },
      oneKey: { rounds: oneKey.rounds, variants: withCounts(summarise(oneKey.batches, "unlimited"), tallies.oneKey, oneKey.batches) },
    };
    const elapsedSeconds = seconds();
    const { help: _help, ...shown } = settings;
    publish(settings.json, render(settings, parts, farOver, logs.seen, elapsedSeconds), {
      settings: shown,
      checks: checks.length,
      asyncOverLimit: over,
      elapsedSeconds,
      ...parts,
      overLimit: farOver,
      counterUnavailable: logs.seen,
    });
    return 0;
  } finally {
    await server.close();
  }
}

const options = () => parseOptions(DEFAULTS, OWN, STORAGE);
await runMain(HELP, options, main);
