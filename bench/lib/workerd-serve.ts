/**
 * @module
 * A bundle served by plain `workerd serve` with a config file (the fast serving
 * path, without Miniflare), and its start-up timed from the process's spawn to
 * the first response read.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { basename, dirname, join } from "node:path";
import { heapUsage, type HeapUsage } from "./inspector.ts";
import { freePort, WORKERD, workerdConfig } from "./workerd.ts";

const START_TIMEOUT_MS = 30_000;

function writeConfig(bundle: string, port: number): string {
  const config = join(dirname(bundle), `workerd-${port}.capnp`);
  writeFileSync(config, workerdConfig([{ name: "main", bundle: { dir: dirname(bundle), modules: [basename(bundle)] }, port }], dirname(bundle)));
  return config;
}

export interface Probe {
  status: number;
  body: string;
}

/** One request on a fresh connection; rejects when nothing listens yet. */
export function get(port: number, path: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: "127.0.0.1", port, path, method: "GET", agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

export interface Started {
  url: URL;
  port: number;
  /** From spawning workerd to the end of the first response, ms. */
  startMs: number;
  /** The first request alone, from the one that found workerd listening to its response's end, ms. */
  firstRequestMs: number;
  first: Probe;
  /** The same request again on a new connection, once the isolate is warm, ms. */
  secondRequestMs: number;
  /** The isolate's heap (when started with `inspect`) and workerd's peak resident memory so far (Linux). */
  memory: () => Promise<{ heap?: HeapUsage; peakRssBytes?: number }>;
  stop: () => Promise<void>;
}

/** VmHWM: the most memory the process has held resident. */
function peakRss(pid: number | undefined): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
}

/** Starts workerd on the bundle (with its inspector, when `inspect`) and sends `path` until an answer comes back. */
export async function startWorkerd(bundle: string, path: string, { inspect = false } = {}): Promise<Started> {
  const port = await freePort();
  const inspectorPort = inspect ? await freePort() : undefined;
  const config = writeConfig(bundle, port);
  let log = "";
  const begin = performance.now();
  const inspector = inspectorPort === undefined ? [] : [`--inspector-addr=127.0.0.1:${inspectorPort}`];
  const child = spawn(WORKERD, ["serve", config, ...inspector], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")));
  const stop = stopper(child);
  let exited = false;
  child.once("exit", () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`workerd exited before answering:\n${log.trim()}`);
      if (performance.now() - begin > START_TIMEOUT_MS) throw new Error(`workerd did not answer within ${START_TIMEOUT_MS / 1000} s:\n${log.trim()}`);
      const attempt = performance.now();
      const first = await get(port, path).catch(() => undefined);
      if (first) {
        const end = performance.now();
        await get(port, path);
        const secondRequestMs = performance.now() - end;
        const memory = async () => ({ heap: inspectorPort === undefined ? undefined : await heapUsage(inspectorPort), peakRssBytes: peakRss(child.pid) });
        return { url: new URL(`http://127.0.0.1:${port}`), port, startMs: end - begin, firstRequestMs: end - attempt, secondRequestMs, first, memory, stop };
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A Worker that does nothing, bundled as is: the start-up every Worker pays. */
export function writeBareWorker(folder: string): string {
  const file = join(folder, "bare.js");
  writeFileSync(file, `export default { fetch() { return new Response("ok"); } };\n`);
  return file;
}
