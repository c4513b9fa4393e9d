/**
 * @module
 * The bench gateway as it runs for real: compiled by `compile()`, bundled by
 * `wrangler deploy --dry-run` like a deploy, and served by workerd through
 * Miniflare, with Worker vars, a consumer in KV when asked, and Durable Objects.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { compile } from "../../src/compiler/compile.ts";
import { createClient, type Client } from "./load.ts";
import { bundleEntry, COMPATIBILITY_DATE } from "./workerd.ts";
import { apiKeyHash, apiKeyPreview, consumerStorageKey } from "../../src/policies/authenticate/key-format.ts";

/**
 * The Worker entry. Without `wrapper`, the same shape as src/worker.ts: the generated app.
 * A wrapper module's default export takes the app and returns the Worker's fetch handler,
 * and its named exports (Durable Object classes) become the Worker's.
 */
function entrySource(wrapper: string | undefined): string {
  if (!wrapper) return `import gateway from "./app/app.ts";\n\nexport default gateway;\n`;
  const from = JSON.stringify(wrapper);
  return `import gateway from "./app/app.ts";\nimport wrap from ${from};\n\nexport * from ${from};\nexport default wrap(gateway);\n`;
}

/** Compiles the gateway project at `root` into `<work>/app` and bundles it into `<work>/dist`; returns the bundle. */
export async function buildBundle(root: string, work: string, wrapper?: string): Promise<string> {
  const outDir = join(work, "app");
  const result = await compile({ root, outDir });
  if (result.errors.length > 0) {
    throw new Error(`The bench gateway does not build:\n${result.errors.map((error) => error.format()).join("\n")}`);
  }
  writeFileSync(join(work, "worker.ts"), entrySource(wrapper));
  const { dir, modules } = await bundleEntry(join(work, "worker.ts"), work, "portico-bench");
  return join(dir, modules[0]);
}

/** The bundle's folder as workerd modules, the main one first (for a workerd config of its own). */
export function bundleModules(bundle: string): { dir: string; modules: string[] } {
  const main = basename(bundle);
  const others = readdirSync(dirname(bundle)).filter((file) => file !== main && /\.m?js$/.test(file));
  return { dir: dirname(bundle), modules: [main, ...others] };
}

export type Via = "direct" | "entry";

export interface ServeOptions {
  bundle: string;
  /**
   * "direct": the Worker's own socket, as `workerd serve` would listen.
   * "entry": Miniflare's entry Worker in front (what dispatchFetch and `wrangler dev` use),
   * which costs about three times the plain gateway per request and so dilutes every ratio.
   */
  via: Via;
  /** Worker vars. */
  bindings?: Record<string, string>;
  /** When given, the CONSUMERS namespace holds one consumer for this key. */
  apiKey?: string;
  /** Durable Object namespaces: binding → class the bundle exports (SQLite-backed). */
  durableObjects?: Record<string, string>;
  /** Where their storage lives: on disk, as in `wrangler dev` (the default), or in memory. */
  durableStorage?: "disk" | "memory";
  /** Receives each line the Worker logs, instead of the terminal. */
  onLog?: (line: { level: string; message: string }) => void;
}

export interface Served {
  url: URL;
  close: () => Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

/** Resolves with Miniflare's URL; when workerd cannot start, Miniflare logs why and `ready` never settles. */
function started(mf: Miniflare): Promise<URL> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`workerd did not start within ${START_TIMEOUT_MS / 1000} s (its log is above).`)), START_TIMEOUT_MS);
  });
  return Promise.race([mf.ready, timeout]).finally(() => clearTimeout(timer));
}

async function storeConsumer(mf: Miniflare, apiKey: string) {
  const consumers = await mf.getKVNamespace("CONSUMERS");
  const record = {
    id: "bench-consumer",
    name: "Bench",
    tier: "paid",
    scopes: [],
    metadata: {},
    keyPreview: apiKeyPreview(apiKey),
    createdAt: new Date().toISOString(),
  };
  await consumers.put(consumerStorageKey(await apiKeyHash(apiKey)), JSON.stringify(record));
}

/** Serves the bundle on 127.0.0.1. */
export async function serveBundle(options: ServeOptions): Promise<Served> {
  const durableObjects = Object.fromEntries(
    Object.entries(options.durableObjects ?? {}).map(([binding, className]) => [binding, { className, useSQLite: true }]),
  );
  // Miniflare 5 takes a new options shape; wrangler itself still writes the v4 one and converts it.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      modules: true,
      scriptPath: options.bundle,
      // Module names are paths relative to this; the default (the working directory) is not above a temp dir.
      modulesRoot: dirname(options.bundle),
      compatibilityDate: COMPATIBILITY_DATE,
      kvNamespaces: ["CONSUMERS"],
      bindings: options.bindings,
      durableObjects,
      unsafeEphemeralDurableObjects: options.durableStorage === "memory",
      // The gateway's access line per request would flood the terminal (and the JSON a bench prints); warnings and errors still show, on stderr.
      handleStructuredLogs: options.onLog ?? ((line) => void (line.level === "warn" || line.level === "error" ? console.error(line.message) : undefined)),
      unsafeDirectSockets: options.via === "direct" ? [{ host: "127.0.0.1", port: 0 }] : undefined,
    }),
  );
  try {
    const entry = await started(mf);
    if (options.apiKey !== undefined) await storeConsumer(mf, options.apiKey);
    const url = options.via === "direct" ? await mf.unsafeGetDirectURL() : entry;
    return { url, close: () => mf.dispose() };
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw error;
  }
}

export interface Gateway extends Served {
  /** A load client with at most `connections` keep-alive connections, closed with the gateway. */
  client: (connections: number) => Client;
}

/** Builds the gateway project at `root` in a temporary folder and serves it; `close` ends its clients, stops workerd and removes the folder. */
export async function startGateway(root: string, options: Omit<ServeOptions, "bundle"> & { wrapper?: string }): Promise<Gateway> {
  const { wrapper, ...serve } = options;
  const work = mkdtempSync(join(tmpdir(), "portico-bench-"));
  const removeWork = () => rmSync(work, { recursive: true, force: true });
  try {
    const served = await serveBundle({ ...serve, bundle: await buildBundle(root, work, wrapper) });
    const clients: Client[] = [];
    return {
      url: served.url,
      client: (connections) => {
        const client = createClient(served.url, connections);
        clients.push(client);
        return client;
      },
      close: () => {
        for (const client of clients) client.close();
        return served.close().finally(removeWork);
      },
    };
  } catch (error) {
    removeWork();
    throw error;
  }
}
