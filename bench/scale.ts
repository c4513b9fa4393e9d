/**
 * @module
 * How the gateway scales with the size of the API. For every OpenAPI document of
 * ../shared/fixtures (test/fixtures/specs when that folder is absent), GitHub's
 * REST API description (test/fixtures/github) and synthetic documents of 10,
 * 1,000 and 5,000 operations: compile time, generated code size,
 * minified bundle size raw and gzipped, the module's evaluation profiled inside
 * workerd, Worker start-up under plain `workerd serve` (spawn to first response,
 * minus a bare Worker's), the first request's latency,
 * and the per-request cost of routing to the last templated route at each size.
 *
 *   npm run bench:scale [-- --json --rounds 5 --requests 2000 --startups 3 --only github]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { publish, runMain, stopwatch } from "./lib/cli.ts";
import { median } from "./lib/load.ts";
import { buildDocument, type Built } from "./lib/scale-build.ts";
import { cliBuild, type CliBuild } from "./lib/scale-cli-build.ts";
import { GITHUB_DOCUMENT_NAME, GITHUB_FIRST_PATH, scaleDocuments, UNMATCHED_PATH, type Document } from "./lib/scale-documents.ts";
import { githubTargetRows } from "./lib/scale-targets.ts";
import { profiledStartup } from "./lib/workerd.ts";
import { measureRouting } from "./lib/routing.ts";
import { startWorkerd, writeBareWorker } from "./lib/workerd-serve.ts";

const HELP = `bench/scale.ts — compile, bundle, start-up and routing as the API grows

Options:
  --rounds <n>     routing rounds, every size once per round (default 5)
  --requests <n>   sequential requests per size per round (default 2000)
  --startups <n>   workerd start-ups per document, the median kept (default 3)
  --budget <s>     start no routing round after this many seconds (default 150)
  --only <text>    only the documents whose name holds this text (e.g. github, synthetic)
  --json           print the results as JSON on stdout (the tables go to stderr)
  -h, --help       show this help`;

const ROUTE_SIZES = [10, 1000, 5000];

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "5" },
      requests: { type: "string", default: "2000" },
      startups: { type: "string", default: "3" },
      budget: { type: "string", default: "150" },
      only: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const count = (name: "rounds" | "requests" | "startups" | "budget") => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1.`);
    return value;
  };
  return {
    help: values.help === true,
    json: values.json === true,
    rounds: count("rounds"),
    requests: count("requests"),
    startups: count("startups"),
    budgetSeconds: count("budget"),
    only: values.only,
  };
}

interface DocumentResult extends Omit<Built, "bundle"> {
  name: string;
  /** The module's evaluation profiled inside workerd (`wrangler check startup`), minus the bare Worker's, ms. */
  evaluationMs: number;
  /** Median over start-ups of spawn-to-first-response, minus the bare Worker's, ms. */
  startupMs: number;
  firstRequestMs: number;
  secondRequestMs: number;
  firstStatus: number;
  /** The isolate's V8 heap after the first two requests, bytes. */
  heapUsedBytes?: number;
  heapTotalBytes?: number;
  /** workerd's peak resident memory minus the bare Worker's, bytes (Linux). */
  peakRssAddedBytes?: number;
  /** `portico build` as a user runs it, in a process of its own (GitHub's document only). */
  build?: CliBuild;
}

/** Memory once the first two requests are answered, measured in a start-up of its own (the inspector attached). */
async function memoryOf(bundle: string, path: string) {
  const started = await startWorkerd(bundle, path, { inspect: true });
  try {
    return await started.memory();
  } finally {
    await started.stop();
  }
}

async function startups(bundle: string, document: Pick<Document, "path" | "expectStatus" | "name">, runs: number) {
  const starts: number[] = [];
  const firsts: number[] = [];
  const seconds: number[] = [];
  let status = 0;
  for (let run = 0; run < runs; run++) {
    const started = await startWorkerd(bundle, document.path);
    await started.stop();
    status = started.first.status;
    if (status !== document.expectStatus)
      throw new Error(`${document.name}: ${document.path} answered ${status}, not ${document.expectStatus}:\n${started.first.body.slice(0, 500)}`);
    starts.push(started.startMs);
    firsts.push(started.firstRequestMs);
    seconds.push(started.secondRequestMs);
  }
  return { startMs: median(starts), firstRequestMs: median(firsts), secondRequestMs: median(seconds), status };
}

function render(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** GitHub's build, in a process of its own, and the targets judged on its figures. */
function githubLines(results: DocumentResult[]): string[] {
  const rows = githubTargetRows({ documents: results });
  if (rows.length === 0) return [];
  return [
    "GitHub's document built by `portico build` in a project of its own (document unchanged but for a root `x-portico: { handler: mock }`, portal included), in a process of its own: wall time from the build's start, that process's peak resident memory, the portal's files on disk (whole 4 KB blocks).",
    "",
    render(["target", "goal", "this run", ""], rows),
    "",
  ];
}

const kb = (bytes: number) => (bytes / 1024).toFixed(0);
const mb = (bytes: number | undefined) => (bytes === undefined ? "?" : (bytes / 1024 / 1024).toFixed(1));

async function main(settings: ReturnType<typeof options>): Promise<number> {
  const say = (line: string) => console.error(line);
  const { seconds } = stopwatch();
  const work = mkdtempSync(join(tmpdir(), "portico-scale-"));
  try {
    const bareWorker = writeBareWorker(work);
    const bareRuns = await startups(bareWorker, { name: "bare Worker", path: "/", expectStatus: 200 }, settings.startups * 2);
    const bareMemory = await memoryOf(bareWorker, "/");
    const bareEvaluations: number[] = [];
    for (let run = 0; run < settings.startups; run++) bareEvaluations.push(await profiledStartup(bareWorker, join(work, "bare-profile")));
    const bareEvaluationMs = median(bareEvaluations);
    say(
      `bare Worker: ${bareRuns.startMs.toFixed(1)} ms from spawn to first response, first request ${bareRuns.firstRequestMs.toFixed(1)} ms, second ${bareRuns.secondRequestMs.toFixed(1)} ms, heap ${mb(bareMemory.heap?.usedBytes)} MB`,
    );

    const fixtures = scaleDocuments(work, ROUTE_SIZES, settings.only);
    say(`documents from ${fixtures.source}, and synthetic ones of ${ROUTE_SIZES.join(", ")} operations: ${fixtures.documents.length} in this run`);

    const results: DocumentResult[] = [];
    const routingTargets: Array<{ routes: number; bundle: string; path: string }> = [];
    for (const [index, document] of fixtures.documents.entries()) {
      const folder = join(work, `document-${index}`);
      const { bundle, ...built } = await buildDocument(document.spec, folder);
      const runs = await startups(bundle, document, settings.startups);
      const memory = await memoryOf(bundle, document.path);
      const evaluationMs = (await profiledStartup(join(folder, "worker.ts"), folder)) - bareEvaluationMs;
      const peakRssAddedBytes =
        memory.peakRssBytes === undefined || bareMemory.peakRssBytes === undefined ? undefined : memory.peakRssBytes - bareMemory.peakRssBytes;
      const build = document.name === GITHUB_DOCUMENT_NAME ? await cliBuild(document.spec, join(folder, "cli")) : undefined;
      results.push({
        name: document.name,
        ...built,
        evaluationMs,
        startupMs: runs.startMs - bareRuns.startMs,
        firstRequestMs: runs.firstRequestMs,
        secondRequestMs: runs.secondRequestMs,
        firstStatus: runs.status,
        heapUsedBytes: memory.heap?.usedBytes,
        heapTotalBytes: memory.heap?.totalBytes,
        peakRssAddedBytes,
        build,
      });
      if (document.routes !== undefined) routingTargets.push({ routes: document.routes, bundle, path: document.path });
      else rmSync(folder, { recursive: true, force: true });
      say(
        `${seconds()} s  ${document.name}: ${built.operations} operations, compiled in ${built.compileMs.toFixed(0)} ms, ${kb(built.gzipBytes)} KB gzipped, start-up +${(runs.startMs - bareRuns.startMs).toFixed(1)} ms, evaluation +${evaluationMs.toFixed(1)} ms${build ? `; portico build ${(build.buildMs / 1000).toFixed(1)} s, ${(build.peakRssBytes / 1e6).toFixed(0)} MB peak, portal ${(build.portalDiskBytes / 1e6).toFixed(1)} MB on disk` : ""}`,
      );
    }

    const routing = await measureRouting(routingTargets, settings, () => seconds() > settings.budgetSeconds, say);

    const documentsTable = render(
      [
        "document",
        "ops",
        "compile ms",
        "app KB",
        "validators KB",
        "bundle KB",
        "gzip KB",
        "eval ms",
        "start-up ms",
        "1st req ms",
        "2nd req ms",
        "status",
        "heap MB",
        "peak RSS +MB",
      ],
      results.map((r) => [
        r.name,
        String(r.operations),
        r.compileMs.toFixed(0),
        kb(r.appBytes),
        kb(r.validatorBytes),
        kb(r.bundleBytes),
        kb(r.gzipBytes),
        r.evaluationMs.toFixed(1),
        r.startupMs.toFixed(1),
        r.firstRequestMs.toFixed(1),
        r.secondRequestMs.toFixed(1),
        String(r.firstStatus),
        `${mb(r.heapUsedBytes)}/${mb(r.heapTotalBytes)}`,
        mb(r.peakRssAddedBytes),
      ]),
    );
    const routingTable = render(
      ["routes", "requests", "median µs", "×10 routes", "p99 µs"],
      routing.map((r) => [r.routes.toLocaleString("en"), String(r.requests), r.medianUs.toFixed(0), r.ratio.toFixed(2), r.p99Us.toFixed(0)]),
    );
    const printed = [
      `Eval: the module's evaluation profiled inside workerd by \`wrangler check startup\` (the span of its CPU profile; one profile per document), minus the bare Worker's ${bareEvaluationMs.toFixed(1)} ms (median of ${settings.startups}).`,
      `Start-up: spawn of \`workerd serve\` to the first response read, median of ${settings.startups}, minus the bare Worker's ${bareRuns.startMs.toFixed(1)} ms.`,
      `1st req: the request that found workerd listening, alone (workerd may accept it before the Worker is ready); 2nd req: the same again, new connection.`,
      `Requests: Fixture documents are asked ${UNMATCHED_PATH} (404); GitHub's ${GITHUB_FIRST_PATH} (200, its mock's answer); synthetic ones their last templated route (200).`,
      `Memory, in a start-up of its own with the inspector attached, after the two requests: heap MB = the isolate's V8 heap used/held (the bare Worker's: ${mb(bareMemory.heap?.usedBytes)}/${mb(bareMemory.heap?.totalBytes)}); peak RSS +MB = workerd's peak resident memory minus the bare Worker's.`,
      "",
      documentsTable,
      "",
      `Routing: GET of the last templated route, 1 request in flight, ${routing[0]?.rounds.length ?? 0} round(s) × ${settings.requests} requests per size.`,
      "",
      routingTable,
      "",
      ...githubLines(results),
      `${seconds()} s in all.`,
    ].join("\n");
    publish(settings.json, printed, {
      fixtures: fixtures.source,
      bare: { ...bareRuns, evaluationMs: bareEvaluationMs, memory: bareMemory },
      documents: results,
      routing,
      seconds: seconds(),
    });
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await runMain(HELP, options, main);
