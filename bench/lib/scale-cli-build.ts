/**
 * @module
 * `portico build` of one document in a project of its own, as a user runs it
 * (the document unchanged but for a root `x-portico: { handler: mock }`, and
 * a portal/ folder, so the portal is written too), in a process of its own:
 * its wall time, its peak resident memory, and the portal's size.
 *
 * Run as a script, it builds the project given and prints what it measured:
 * Node reports a process's own peak memory (`resourceUsage().maxRSS`), which
 * the bench's own process, holding every other document, could not tell apart.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export interface CliBuild {
  /** From the build's start to its end, portal included, ms (the process's start-up not counted). */
  buildMs: number;
  /** The build process's peak resident memory, bytes. */
  peakRssBytes: number;
  /** The portal's files: their bytes, and what they take on disk (whole blocks). */
  portalBytes: number;
  portalDiskBytes: number;
  portalFiles: number;
}

/** Writes the project into `work` and builds it in a child process. */
export async function cliBuild(spec: string, work: string): Promise<CliBuild> {
  mkdirSync(join(work, "openapi"), { recursive: true });
  mkdirSync(join(work, "portal"), { recursive: true });
  const text = readFileSync(spec, "utf8");
  const entry = join(work, "openapi", spec.endsWith(".json") ? "openapi.json" : "openapi.yaml");
  writeFileSync(entry, spec.endsWith(".json") ? text.replace(/^\{/, '{\n  "x-portico": { "handler": "mock" },') : `x-portico: { handler: mock }\n${text}`);
  writeFileSync(join(work, "portal", "portal.config"), "title: Scale\n");
  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.url), work], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as CliBuild;
}

function folderSize(folder: string): { bytes: number; diskBytes: number; files: number } {
  const total = { bytes: 0, diskBytes: 0, files: 0 };
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const stat = statSync(join(entry.parentPath, entry.name));
    total.bytes += stat.size;
    total.diskBytes += stat.blocks * 512;
    total.files += 1;
  }
  return total;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2];
  const { main } = await import("../../src/cli/main.ts");
  const begin = performance.now();
  // Its own lines go to stderr, out of the way of the one line of JSON.
  const log = console.log;
  console.log = console.error;
  const code = await main(["build", "--root", root, "--json"]);
  const buildMs = performance.now() - begin;
  console.log = log;
  if (code !== 0) throw new Error(`portico build exited ${code}`);
  const portal = folderSize(join(root, "dist", "portal"));
  const result: CliBuild = {
    buildMs,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    portalBytes: portal.bytes,
    portalDiskBytes: portal.diskBytes,
    portalFiles: portal.files,
  };
  console.log(JSON.stringify(result));
}
