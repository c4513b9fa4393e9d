/**
 * The real `npm run dev` (wrangler dev on workerd) in a temporary copy of the
 * project, on a free port: for the dev-server tests and the portal's browser tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { copyExample } from "./example-project.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface DevServer {
  base: string;
  project: string;
  output: () => string;
  stop: () => void;
}

/** A temporary copy of the project's code with the example (without built .portico/ and dist/). */
export function exampleProject(): string {
  const project = mkdtempSync(join(tmpdir(), "portico-e2e-"));
  for (const entry of ["src", "bin", "package.json", "wrangler.toml", "tsconfig.json"]) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(project, entry), { recursive: true, filter: (src) => !src.endsWith(".test.ts") });
  }
  copyExample(project);
  symlinkSync(join(root, "node_modules"), join(project, "node_modules"));
  return project;
}

/**
 * `npm run dev` in a temporary copy of the project with the example, or in `in`, a project
 * folder run as it is (and left in place), resolved once `ready` holds: by default, once the
 * gateway serves its OpenAPI document.
 */
export async function startDevServer(
  options: { in?: string; prepare?: (project: string) => void; ready?: (base: string) => Promise<boolean>; timeoutMs?: number } = {},
): Promise<DevServer> {
  const project = options.in ?? exampleProject();
  options.prepare?.(project);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = "";
  // Vitest's NODE_ENV=test would make wrangler skip some of what it does for a real `npm run dev`
  // (the lookup of request.cf data, among others).
  const { NODE_ENV: _, ...env } = process.env;
  const server: ChildProcess = spawn("npm", ["run", "dev", "--", "--port", String(port)], {
    cwd: project,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  server.stdout!.on("data", (chunk) => (output += chunk));
  server.stderr!.on("data", (chunk) => (output += chunk));
  let exited = false;
  server.on("exit", () => (exited = true));
  const stop = () => {
    try {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    if (!options.in) rmSync(project, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline && !exited) {
    const ready = await (options.ready ?? ((at) => fetch(`${at}/openapi.json`).then((response) => response.ok)))(base).catch(() => false);
    if (ready) return { base, project, output: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stop();
  throw new Error(`npm run dev ${exited ? "quit" : "did not answer"} on ${base}; it said:\n${output.slice(-3000)}`);
}

/** Polls `probe` every 250 ms until it gives a value; past `ms`, fails with the end of what `npm run dev` said. */
export async function waitFor<T>(dev: DevServer, what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}; npm run dev said:\n${dev.output().slice(-3000)}`);
}
