/**
 * @module
 * docs/benchmarks.md and its charts, from the JSON the bench scripts print.
 * Only what a run measured goes in: each section quotes its script's own
 * table, and the targets are judged on this run's figures.
 */
import { barChart, type Bar } from "./chart.ts";
import type { PeerVerdict } from "./peer-verdicts.ts";
import { peerTargetRows, peersSection, type PeersResults } from "./peers-doc.ts";
import { portalSection, portalTargetRows, type PortalResults } from "./portal-doc.ts";
import type { Summary } from "./report.ts";
import { trafficSection, trafficTargetRow, type TrafficResults } from "./traffic-doc.ts";
import { githubTargetRows } from "./scale-targets.ts";

interface Printed {
  printed: string;
}

export interface Results {
  auth: Printed;
  rateLimit: Printed & {
    perRequest: { variants: Array<Summary & { durableRequestsPerThousand: number }> };
    oneKey: { variants: Array<Summary & { durableRequestsPerThousand: number }> };
    overLimit: Array<{ variant: string; requests: number; admitted: number; refused: number; durableRequestsPerThousand: number }>;
  };
  scale: Printed & {
    fixtures: string;
    documents: Array<{
      name: string;
      operations: number;
      gzipBytes: number;
      evaluationMs: number;
      startupMs: number;
      heapUsedBytes?: number;
      heapTotalBytes?: number;
      peakRssAddedBytes?: number;
    }>;
    routing: Array<{ routes: number; ratio: number }>;
  };
  overhead: Printed & { variants: Summary[]; peers?: PeerVerdict[] };
  telemetry: Printed;
  traffic: TrafficResults;
  peers: PeersResults;
  portal: PortalResults;
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  node: string;
  workerd: string;
  wrangler: string;
  seconds: number;
}

/** The document the start-up, size and memory targets name: OpenAI's, 3.4 MB. */
const TARGET_DOCUMENT = "real-world/openai/openapi.json";
const ratio = (value: number) => `×${value.toFixed(2)}`;
const mb = (bytes: number | undefined) => (bytes === undefined ? "?" : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const verdict = (met: boolean) => (met ? "met" : "**missed**");
const fence = (text: string) => ["```", text.trim(), "```"].join("\n");

function targetRows(results: Results): string[][] {
  const rows: string[][] = [];
  const variant = (name: string) => results.overhead.variants.find((s) => s.variant === name);
  for (const [name, throughput, p99] of [
    ["auth+validation", 0.9, 1.2],
    ["+ async limit", 0.9, 1.2],
    ["+ strict limit", 0.6, undefined],
  ] as const) {
    const s = variant(name);
    if (!s) continue;
    rows.push([
      `${name}: throughput`,
      `≥ ×${throughput.toFixed(2)} of bare`,
      ratio(s.ratio.requestsPerSecond),
      verdict(s.ratio.requestsPerSecond >= throughput),
    ]);
    if (p99 !== undefined) rows.push([`${name}: p99`, `≤ ×${p99.toFixed(1)} of bare`, ratio(s.ratio.p99), verdict(s.ratio.p99 <= p99)]);
  }
  rows.push(...peerTargetRows(results.overhead.peers));
  const target = results.scale.documents.find((d) => d.name === TARGET_DOCUMENT);
  if (target) {
    rows.push([
      `OpenAI's document: start-up (module evaluation in workerd)`,
      "< 100 ms",
      `${target.evaluationMs.toFixed(1)} ms`,
      verdict(target.evaluationMs < 100),
    ]);
    rows.push([`OpenAI's document: spawn to first response`, "(no target)", `${target.startupMs.toFixed(1)} ms`, ""]);
    rows.push([`OpenAI's document: bundle, gzipped`, "< 3 MB", `${(target.gzipBytes / 1024).toFixed(0)} KB`, verdict(target.gzipBytes < 3 * 1024 * 1024)]);
  }
  const slowest = [...results.scale.documents].sort((a, b) => b.evaluationMs - a.evaluationMs)[0];
  if (slowest && slowest !== target)
    rows.push([
      `slowest document to start (${slowest.name})`,
      "(no target)",
      `${slowest.evaluationMs.toFixed(1)} ms`,
      slowest.evaluationMs < 100 ? "under 100 ms" : "over 100 ms",
    ]);
  const most = results.scale.routing.at(-1);
  if (most) rows.push([`routing at ${most.routes.toLocaleString("en")} routes`, "≤ ×1.2 of 10 routes", ratio(most.ratio), verdict(most.ratio <= 1.2)]);
  rows.push(...githubTargetRows(results.scale));
  rows.push(trafficTargetRow(results.traffic));
  rows.push(...portalTargetRows(results.portal));
  return rows;
}

function markdownTable(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

/** The overhead chart: each variant's throughput as a share of the bare Worker's. */
export function overheadChart(results: Results): string {
  const bars: Bar[] = results.overhead.variants.map((s) => ({
    label: s.variant,
    value: s.ratio.requestsPerSecond,
    text: `${ratio(s.ratio.requestsPerSecond)} (${s.requestsPerSecond.toFixed(0)} req/s)`,
    tone: s.variant === "bare" ? "baseline" : s.variant.startsWith("Hono ") ? "peer" : "portico",
  }));
  return barChart({
    title: "Throughput against a bare Worker on plain workerd",
    subtitle: "Median over alternating rounds of (variant ÷ bare Worker in the same round); higher is better",
    bars,
    marks: [
      { value: 0.6, label: "strict target 0.6" },
      { value: 0.9, label: "target 0.9" },
    ],
    max: 1.1,
  });
}

/** A document's folder and file name, within a chart's label column. */
function shortName(name: string): string {
  const parts = name.replace(/^real-world\//, "").split("/");
  const short = parts.length > 2 ? `${parts[0]}/…/${parts.at(-1)}` : parts.join("/");
  return short.length > 30 ? `${short.slice(0, 29)}…` : short;
}

/** The start-up chart: the slowest documents' module evaluation inside workerd, beyond a bare Worker's. */
export function startupChart(results: Results): string {
  const documents = [...results.scale.documents].sort((a, b) => b.evaluationMs - a.evaluationMs).slice(0, 10);
  return barChart({
    title: "Worker start-up by document",
    subtitle: "The module's evaluation profiled inside workerd, minus a bare Worker's; the ten slowest documents",
    bars: documents.map((d) => ({
      label: shortName(d.name),
      value: d.evaluationMs,
      text: `${d.evaluationMs.toFixed(0)} ms, ${d.operations} ops`,
      tone: "portico",
    })),
    marks: [{ value: 100, label: "100 ms" }],
  });
}

/**
 * What each step of the overhead bench adds per request, from this run: each
 * variant's +µs/req less the one it builds on.
 */
function whereTheTimeGoes(variants: Summary[]): string {
  const added = (name: string) => variants.find((s) => s.variant === name)?.addedUs;
  const [forward, checked, asyncLimit, strictLimit] = ["forward", "auth+validation", "+ async limit", "+ strict limit"].map(added);
  if ([forward, checked, asyncLimit, strictLimit].some((value) => value === undefined)) return "";
  // A step within the noise can come out below the one it builds on: shown as measured, sign and all.
  const us = (value: number) => `${value < 0 ? "−" : ""}${Math.abs(value).toFixed(0)} µs`;
  const perRequest = variants.find((s) => s.variant === "bare")!;
  return [
    `Where the time goes, per request on workerd's one thread: the bare Worker answers one request every ${us(1e6 / perRequest.requestsPerSecond)}, nearly all of it workerd's own HTTP and \`fetch()\`.`,
    `Forwarding through Portico adds ${us(forward!)} (routing, the request's context, the forwarded request and response headers, the upstream timeout);`,
    `the API key and the query's validation ${us(checked! - forward!)} more; a rate-limit check ${us(asyncLimit! - checked!)} (async) or ${us(strictLimit! - checked!)} (strict) more.`,
    "Locally a Durable Object runs in the Worker's own isolate, on the same thread, so the counter's work lands in every request's way in both modes: async stops waiting for the answer, not the work.",
    "On Cloudflare the object runs elsewhere, and an async check costs the gateway one subrequest sent.",
    `A target of ×0.90 leaves ${us(1e6 / perRequest.requestsPerSecond / 9)} a request here for everything the gateway does; the figures above are what each step costs today.`,
  ].join(" ");
}

export function benchmarksDoc(results: Results, machine: Machine): string {
  const target = results.scale.documents.find((d) => d.name === TARGET_DOCUMENT);
  const heaviest = [...results.scale.documents].sort((a, b) => (b.heapUsedBytes ?? 0) - (a.heapUsedBytes ?? 0))[0];
  const routing = results.scale.routing.at(-1);
  const memoryLine = (d: Results["scale"]["documents"][number] | undefined) =>
    d
      ? `\`${d.name}\` (${d.operations} operations): after its first two requests the isolate's V8 heap holds ${mb(d.heapTotalBytes)} (${mb(d.heapUsedBytes)} in use); workerd's peak resident memory is ${mb(d.peakRssAddedBytes)} above a bare Worker's.`
      : "not measured in this run.";
  return `# Benchmarks

Written by \`npm run bench\` on ${machine.date}, in ${machine.seconds.toFixed(0)} s: ${machine.cores} × ${machine.cpu}, Node ${machine.node}, workerd ${machine.workerd} (wrangler ${machine.wrangler}). The machine is shared, so every result is a ratio to a baseline measured in the same run, in rounds that alternate the variants; the absolute figures describe this machine only. [bench/README.md](../bench/README.md) says how each figure is measured and how to run one benchmark alone.

## Targets

${markdownTable(["what", "target", "this run", ""], targetRows(results))}

## Gateway overhead against a bare Worker

![Throughput of each variant as a share of the bare Worker's](benchmarks-overhead.svg)

${fence(results.overhead.printed)}

${whereTheTimeGoes(results.overhead.variants)}

Zuplo is not in this comparison. Its runtime (the \`zuplo\` package) is published under an end-user
licence that grants its use only to Zuplo's active customers, for internal local development, and
forbids other commercial use and reverse engineering; a rival's benchmark is neither.

${peersSection(results.overhead.peers, results.peers)}
## Scale with the size of the API

Documents from ${results.scale.fixtures}.

![Start-up of the ten slowest documents](benchmarks-startup.svg)

${fence(results.scale.printed)}

The router is Hono's TrieRouter${routing ? `: ${routing.routes.toLocaleString("en")} routes cost ${ratio(routing.ratio)} of 10 routes per request${routing.ratio <= 1.2 ? ", so nothing faster is needed" : ", more than the ×1.2 allowed"}` : ""}. Hono's RegExpRouter refuses route sets that real documents have (\`/issues/comments\` beside \`/issues/{number}\`), and a router prepared at build time or a table of our own would save a share of a cost that does not grow with the API.

## Memory and cost

- OpenAI's document, the one the targets name, ${memoryLine(target)}
- The most memory of any document, ${memoryLine(heaviest)}
- A Worker isolate may use 128 MB.

Durable Object requests per 1,000 gateway requests, each one a billed request:

${markdownTable(
  ["mode", "many keys under their limit", "one hot key under its limit", "one key far over its limit"],
  ["strict", "async"].map((mode) => {
    const under = results.rateLimit.perRequest.variants.find((s) => s.variant === mode);
    const hot = results.rateLimit.oneKey.variants.find((s) => s.variant === `${mode}, 1 key`);
    const over = results.rateLimit.overLimit.find((o) => o.variant.startsWith(mode));
    const perThousand = (s: { durableRequestsPerThousand: number | null } | undefined) =>
      s && Number.isFinite(s.durableRequestsPerThousand) ? s.durableRequestsPerThousand!.toFixed(0) : "?";
    return [mode, perThousand(under), perThousand(hot), over ? `${perThousand(over)} (${over.admitted} of ${over.requests} admitted)` : "?"];
  }),
)}

Strict asks the key's object before every request. Async reports in the background, one report per key at a time carrying every request let through since the last, so a key whose requests arrive while its report is on its way costs fewer; once the object says the key is full, the isolate refuses it from memory until its \`Retry-After\`.

## Authentication and validation

${fence(results.auth.printed)}

## Rate limiting

${fence(results.rateLimit.printed)}

## Telemetry

The same route with no telemetry, the default access log, and traces sampled at 0 and at 1, the spans sent to an OTLP receiver on this machine. CPU µs/req is workerd's own CPU time, the background exports included: the steadiest figure on a shared machine.

${fence(results.telemetry.printed)}

${trafficSection(results.traffic)}
${portalSection(results.portal)}`;
}
