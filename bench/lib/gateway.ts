/**
 * @module
 * The bench gateway as it runs for real: compiled by `compile()`, bundled by
 * `wrangler deploy --dry-run` like a deploy, and served by workerd through
 * Miniflare, with a consumer in KV and a JWT public key as a Worker var.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { compile } from "../../src/compiler/compile.ts";
import { apiKeyHash, apiKeyPreview, consumerStorageKey } from "../../src/policies/authenticate/key-format.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url).href);
const WRANGLER = join(PROJECT_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const COMPATIBILITY_DATE = "2026-11-01";

/** Compiles the gateway project at `root` into `<work>/app` and bundles it into `<work>/dist`; returns the bundle. */
export async function buildBundle(root: string, work: string): Promise<string> {
  const outDir = join(work, "app");
  const result = await compile({ root, outDir });
  if (result.errors.length > 0) {
    throw new Error(`The bench gateway does not build:\n${result.errors.map((error) => error.format()).join("\n")}`);
  }
  // The same shape as src/worker.ts: the entry only re-exports the generated app.
  writeFileSync(join(work, "worker.ts"), `import gateway from "./app/app.ts";\n\nexport default gateway;\n`);
  writeFileSync(
    join(work, "wrangler.toml"),
    `name = "portico-bench"\nmain = "worker.ts"\ncompatibility_date = "${COMPATIBILITY_DATE}"\nsend_metrics = false\n`,
  );
  const dist = join(work, "dist");
  mkdirSync(dist, { recursive: true });
  try {
    await promisify(execFile)(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", dist, "--config", join(work, "wrangler.toml")], {
      cwd: work,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`wrangler could not bundle the bench gateway:\n${stderr || stdout || (error as Error).message}`);
  }
  const bundle = readdirSync(dist).find((file) => file.endsWith(".js"));
  if (!bundle) throw new Error(`wrangler wrote no .js bundle into ${dist}.`);
  return join(dist, bundle);
}

export interface ServeOptions {
  bundle: string;
  apiKey: string;
  jwtPublicKeyPem: string;
  /**
   * "direct": the Worker's own socket, as `workerd serve` would listen.
   * "entry": Miniflare's entry Worker in front (what dispatchFetch and `wrangler dev` use),
   * which costs about three times the plain gateway per request and so dilutes every ratio.
   */
  via: "direct" | "entry";
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

/** Serves the bundle on 127.0.0.1 with the CONSUMERS namespace holding one consumer for `apiKey`. */
export async function serveBundle(options: ServeOptions): Promise<{ url: URL; close: () => Promise<void> }> {
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
      bindings: { JWT_PUBLIC_KEY: options.jwtPublicKeyPem },
      unsafeDirectSockets: options.via === "direct" ? [{ host: "127.0.0.1", port: 0 }] : undefined,
    }),
  );
  try {
    const entry = await started(mf);
    const consumers = await mf.getKVNamespace("CONSUMERS");
    const record = {
      id: "bench-consumer",
      name: "Bench",
      tier: "paid",
      scopes: [],
      metadata: {},
      keyPreview: apiKeyPreview(options.apiKey),
      createdAt: new Date().toISOString(),
    };
    await consumers.put(consumerStorageKey(await apiKeyHash(options.apiKey)), JSON.stringify(record));
    const url = options.via === "direct" ? await mf.unsafeGetDirectURL() : entry;
    return { url, close: () => mf.dispose() };
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw error;
  }
}
