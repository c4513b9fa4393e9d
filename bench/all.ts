/**
 * @module
 * `npm run bench`: every benchmark, one after another (two at once would share
 * the cores they measure), then docs/benchmarks.md and its charts written from
 * their results. A benchmark that fails stops the run and leaves the docs as
 * they were.
 *
 *   npm run bench [-- --no-write]
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchmarksDoc, overheadChart, startupChart, type Results } from "./lib/benchmarks-doc.ts";
import { runMain, stopwatch } from "./lib/cli.ts";

const HELP = `bench/all.ts — every benchmark, then docs/benchmarks.md

Options:
  --no-write   print the figures, leave docs/ as it is
  -h, --help   show this help`;

const ROOT = fileURLToPath(new URL("../", import.meta.url).href);
const SCRIPTS = {
  auth: "auth-validation.ts",
  rateLimit: "rate-limit.ts",
  scale: "scale.ts",
  overhead: "overhead.ts",
  telemetry: "telemetry.ts",
  traffic: "traffic.ts",
  peers: "peers.ts",
  portal: "portal.ts",
} as const;

/** Runs one bench script with --json: its tables and progress reach the terminal, its results come back. */
function run(script: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bench", script), "--json"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    // "close", not "exit": only then has all of its output been read.
    child.once("close", (code) => {
      if (code !== 0) return reject(new Error(`bench/${script} failed (exit ${code}); docs/benchmarks.md is left as it was.`));
      try {
        resolve(JSON.parse(output));
      } catch {
        reject(new Error(`bench/${script} printed no JSON results; docs/benchmarks.md is left as it was.`));
      }
    });
  });
}

const version = (pkg: string) => (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;

function options() {
  const { values } = parseArgs({ options: { "no-write": { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } } });
  return { help: values.help === true, write: values["no-write"] !== true };
}

async function main(settings: ReturnType<typeof options>): Promise<number> {
  const { seconds } = stopwatch();
  const results: Record<string, unknown> = {};
  for (const [name, script] of Object.entries(SCRIPTS)) {
    console.error(`\n━━ bench/${script}`);
    results[name] = await run(script);
  }
  if (!settings.write) return 0;
  const machine = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: cpus().length,
    node: process.versions.node,
    workerd: version("workerd"),
    wrangler: version("wrangler"),
    seconds: seconds(),
  };
  const all = results as unknown as Results;
  writeFileSync(join(ROOT, "docs", "benchmarks.md"), benchmarksDoc(all, machine));
  writeFileSync(join(ROOT, "docs", "benchmarks-overhead.svg"), overheadChart(all));
  writeFileSync(join(ROOT, "docs", "benchmarks-startup.svg"), startupChart(all));
  console.error(`\nWrote docs/benchmarks.md, docs/benchmarks-overhead.svg and docs/benchmarks-startup.svg after ${seconds()} s.`);
  return 0;
}

await runMain(HELP, options, main);
