/**
 * @module
 * Bundles served by plain `workerd serve` with a generated config file: the
 * serving path a deployment resembles most, without Miniflare or wrangler dev
 * in front (each of which costs several times a whole bare request). workerd
 * may be pinned to chosen cores, to keep it apart from the load generator.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url).href);
const WRANGLER = join(PROJECT_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
export const WORKERD = join(PROJECT_ROOT, "node_modules", "workerd", "bin", "workerd");
export const COMPATIBILITY_DATE = "2026-11-01";
const START_TIMEOUT_MS = 30_000;

/** Runs wrangler in `work` on the project's Node, metrics off; a failure says what wrangler said. */
async function wrangler(args: string[], work: string, what: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [WRANGLER, ...args], {
      cwd: work,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`wrangler could not ${what}:\n${stderr || stdout || (error as Error).message}`);
  }
}

function writeWranglerConfig(entry: string, work: string, name: string): string {
  mkdirSync(work, { recursive: true });
  const config = join(work, "wrangler.toml");
  writeFileSync(
    config,
    `name = "${name}"\nmain = ${JSON.stringify(relative(work, entry))}\ncompatibility_date = "${COMPATIBILITY_DATE}"\nsend_metrics = false\n`,
  );
  return config;
}

/** Bundles the Worker entry at `entry` as `wrangler deploy --dry-run` would; returns the folder holding its modules, the main one first. */
export async function bundleEntry(entry: string, work: string, name: string, minify = false): Promise<{ dir: string; modules: string[] }> {
  const config = writeWranglerConfig(entry, work, name);
  const dir = join(work, "dist");
  mkdirSync(dir, { recursive: true });
  await wrangler(["deploy", "--dry-run", ...(minify ? ["--minify"] : []), "--outdir", dir, "--config", config], work, `bundle ${entry}`);
  const main = entry.replace(/^.*[\\/]/, "").replace(/\.ts$/, ".js");
  const modules = readdirSync(dir).filter((file) => file.endsWith(".js") || file.endsWith(".mjs"));
  if (!modules.includes(main)) throw new Error(`wrangler wrote no ${main} into ${dir}.`);
  return { dir, modules: [main, ...modules.filter((file) => file !== main)] };
}

/**
 * The Worker's start-up as workerd itself sees it: `wrangler check startup`
 * bundles the entry (minified) and has workerd profile the module's
 * evaluation; the profile's span, ms. This is the phase Cloudflare caps.
 */
export async function profiledStartup(entry: string, work: string): Promise<number> {
  const config = writeWranglerConfig(entry, work, "portico-startup");
  const outfile = join(work, "startup.cpuprofile");
  await wrangler(["check", "startup", "--args=--minify", "--outfile", outfile, "--config", config], work, `profile the start-up of ${entry}`);
  const profile = JSON.parse(readFileSync(outfile, "utf8")) as { startTime: number; endTime: number };
  return (profile.endTime - profile.startTime) / 1000;
}

export interface WorkerService {
  name: string;
  bundle: { dir: string; modules: string[] };
  port: number;
  /** Text bindings (Worker vars). */
  vars?: Record<string, string>;
  /** Durable Object namespaces: binding → exported class; SQLite-backed, storage in memory. */
  durableObjects?: Record<string, string>;
}

const text = (value: string) => JSON.stringify(value);

function workerConfig(service: WorkerService, configDir: string): string {
  const modules = service.bundle.modules.map((file) => `(name = ${text(file)}, esModule = embed ${text(relative(configDir, join(service.bundle.dir, file)))})`);
  const classes = Object.entries(service.durableObjects ?? {});
  const bindings = [
    ...Object.entries(service.vars ?? {}).map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`),
    ...classes.map(([binding, className]) => `(name = ${text(binding)}, durableObjectNamespace = (className = ${text(className)}))`),
  ];
  const durable =
    classes.length === 0
      ? ""
      : `,
      durableObjectNamespaces = [${classes.map(([, className]) => `(className = ${text(className)}, uniqueKey = ${text(`${service.name}-${className}`)}, enableSql = true)`).join(", ")}],
      durableObjectStorage = (inMemory = void)`;
  return `(name = ${text(service.name)}, worker = (
      modules = [${modules.join(", ")}],
      compatibilityDate = ${text(COMPATIBILITY_DATE)},
      bindings = [${bindings.join(", ")}],
      globalOutbound = "loopback"${durable}
    ))`;
}

/** A workerd config serving each Worker on its own 127.0.0.1 port; their fetch() reaches 127.0.0.0/8 only. */
export function workerdConfig(services: WorkerService[], configDir: string): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    ${services.map((service) => workerConfig(service, configDir)).join(",\n    ")},
    (name = "loopback", network = (allow = ["127.0.0.0/8"]))
  ],
  sockets = [
    ${services.map((service) => `(name = ${text(service.name)}, address = ${text(`127.0.0.1:${service.port}`)}, http = (), service = ${text(service.name)})`).join(",\n    ")}
  ]
);
`;
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:`port` right now. */
export const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

/** Whether `taskset` can pin processes to cores here. */
export function canPin(): boolean {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Pins this process (and the children it starts from now on) to `cores`, e.g. "1". */
export function pinSelf(cores: string) {
  execFileSync("taskset", ["-a", "-c", "-p", cores, String(process.pid)], { stdio: "ignore" });
}

/**
 * Runs `workerd serve` on the config (pinned to `cores` when given) until every socket accepts; `close` stops it.
 * The Workers' console.log lines go to workerd's stdout: discarded, or written to the open file `stdout`
 * (a file, not a pipe: a reader that falls behind would hold workerd up on a full pipe).
 */
/** A server process (pinned to `cores` when given), the last 4,000 characters of its stderr kept, and a close that waits for its exit. */
export function spawnServer(binary: string, args: string[], cores?: string, stdout?: number) {
  const [command, argv] = cores ? ["taskset", ["-c", cores, binary, ...args]] : [binary, args];
  const child = spawn(command, argv, { stdio: ["ignore", stdout ?? "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { child, close, log: () => log };
}

export async function startWorkerd(
  configPath: string,
  ports: number[],
  cores?: string,
  stdout?: number,
): Promise<{ pid: number | undefined; close: () => Promise<void> }> {
  const { child, close, log } = spawnServer(WORKERD, ["serve", configPath], cores, stdout);
  const until = performance.now() + START_TIMEOUT_MS;
  for (const port of ports) {
    while (!(await accepts(port))) {
      if (child.exitCode !== null || performance.now() > until) {
        await close();
        throw new Error(`workerd did not start serving 127.0.0.1:${port}:\n${log()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  // taskset execs workerd in its own process: the pid is workerd's.
  return { pid: child.pid, close };
}
