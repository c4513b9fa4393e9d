/**
 * @module
 * Several bundles served by one Miniflare, each Worker on a socket of its own
 * (`unsafeDirectSockets`, as `workerd serve` listens), with the local Cache API
 * and Durable Objects that plain `workerd serve` lacks. Miniflare runs both in
 * the same workerd process as the Workers, as `wrangler dev` does.
 */
import { dirname } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { COMPATIBILITY_DATE } from "./workerd.ts";

export interface MiniflareWorker {
  /** Also what `urls` is keyed by. */
  name: string;
  /** The bundle's main module; the others sit beside it. */
  bundle: string;
  /** Worker vars. */
  bindings?: Record<string, string>;
  /**
   * Durable Object namespaces: binding → class the bundle exports. SQLite-backed, so on disk in
   * Miniflare's temporary folder: its in-memory storage has no SQL API.
   */
  durableObjects?: Record<string, string>;
}

const START_TIMEOUT_MS = 30_000;

/** Serves the Workers on 127.0.0.1; resolves with each one's own URL once all of them answer. */
export async function serveWorkers(workers: MiniflareWorker[]): Promise<{ urls: Map<string, URL>; close: () => Promise<void> }> {
  // Miniflare 5 takes a new options shape; wrangler itself still writes the v4 one and converts it.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      // Warnings and errors on stderr; nothing else is logged, and each line would be parsed in this process.
      handleStructuredLogs: (line) => void (line.level === "warn" || line.level === "error" ? console.error(line.message) : undefined),
      workers: workers.map((worker) => ({
        name: worker.name,
        modules: true,
        scriptPath: worker.bundle,
        // Module names are paths relative to this; the default (the working directory) is not above a temp dir.
        modulesRoot: dirname(worker.bundle),
        compatibilityDate: COMPATIBILITY_DATE,
        bindings: worker.bindings,
        durableObjects: Object.fromEntries(
          Object.entries(worker.durableObjects ?? {}).map(([binding, className]) => [binding, { className, useSQLite: true }]),
        ),
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      })),
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`workerd did not start within ${START_TIMEOUT_MS / 1000} s (its log is above).`)), START_TIMEOUT_MS);
    });
    await Promise.race([mf.ready, timeout]);
    const urls = new Map<string, URL>();
    for (const worker of workers) urls.set(worker.name, await mf.unsafeGetDirectURL(worker.name));
    return { urls, close: () => mf.dispose() };
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
