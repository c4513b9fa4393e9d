/**
 * @module
 * `portico dev`, what `npm run dev` runs: `wrangler dev` with PORTICO_DEV=1
 * (a broken spec is served as a 503 listing its errors, not a dead server),
 * its output passed through, and the local URLs of the gateway and the portal
 * printed once, when wrangler says it is ready, on the address it reports.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { constants } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { parse as parseToml } from "smol-toml";
import { parse } from "yaml";
import { basePathOf } from "../compiler/plan/paths.ts";
import { prettyLogStream } from "./access-line.ts";
import { startDevFront, type DevFront } from "./dev-front.ts";
import { paintOut, printProblem, usesColour } from "./style.ts";

export const DEV_HELP = `portico dev — serve the gateway on this machine (what \`npm run dev\` runs)

Usage: portico dev [wrangler dev options]

Runs \`wrangler dev\`, which builds the gateway with \`portico build\` first and
again whenever a file under openapi/, policies/ or portal/ changes, and prints
the local URLs of the gateway and (when portal/ has a portal.config) of the
portal once it is ready. While the project does not build, the server stays up
and answers 503 with the build errors; the next good save brings it back.

Every option goes to wrangler dev, e.g. --port 9000 or --ip 0.0.0.0;
\`npx wrangler dev --help\` lists them. As Cloudflare's edge does, the server
sets CF-Connecting-IP from the connection, over a client's own;
PORTICO_DEV_TRUST_CLIENT_IP=1 in .dev.vars keeps a client's, for tests that
simulate addresses.`;

// "[wrangler:info] Ready on http://127.0.0.1:8787", after wrangler's colours are stripped.
const READY = /\bReady on (https?:\/\/\S+)/;

export function wranglerScript(root: string): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve("wrangler/package.json", { paths: [root, dirname(fileURLToPath(import.meta.url))] });
    return join(dirname(manifest), "bin", "wrangler.js");
  } catch {
    return undefined;
  }
}

/** The path of servers[0] in the document `portico build` reads by default; "" when it cannot be read (the build says why). */
function basePath(root: string): string {
  const spec = ["openapi/openapi.yaml", "openapi/openapi.json"].map((name) => join(root, name)).find(existsSync);
  try {
    return spec ? basePathOf(parse(readFileSync(spec, "utf8"))?.servers) : "";
  } catch {
    return "";
  }
}

/** The build writes a portal for every project with a portal/ folder. */
const hasPortal = (root: string) => existsSync(join(root, "portal"));

const PLACEHOLDER = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Portal not built yet</title>
<p>The portal appears here once the project builds. <code>npm run dev</code> lists what stops the build.</p>
</html>
`;

/** The folder wrangler.toml's [assets] names, absolute; undefined without one (or without a readable wrangler.toml). */
export function assetsDirectory(root: string): string | undefined {
  let directory: unknown;
  try {
    directory = (parseToml(readFileSync(join(root, "wrangler.toml"), "utf8")) as { assets?: { directory?: unknown } }).assets?.directory;
  } catch {
    return undefined; // no wrangler.toml, or a broken one: wrangler says so, better than we could
  }
  return typeof directory === "string" ? resolve(root, directory) : undefined;
}

/**
 * wrangler dev refuses to start when the folder of wrangler.toml's [assets] does not
 * exist, which it does not until the first good build writes the portal. So a fresh
 * project whose first build fails gets the folder made here, with a page at /docs
 * saying the portal comes once the project builds (the build's portal replaces it).
 */
export function ensureAssets(root: string): void {
  const assets = assetsDirectory(root);
  if (assets === undefined || existsSync(assets)) return;
  mkdirSync(assets, { recursive: true });
  if (!hasPortal(root)) return;
  mkdirSync(join(assets, "docs"), { recursive: true });
  writeFileSync(join(assets, "docs", "index.html"), PLACEHOLDER);
}

/** The lines printed once the server is up: where the gateway and the portal answer. */
export function localUrls(ready: string, root: string): string {
  const url = new URL(ready);
  // Listening on every address: this machine reaches it on loopback.
  if (url.hostname === "0.0.0.0") url.hostname = "127.0.0.1";
  if (url.hostname === "[::]") url.hostname = "[::1]";
  const urls = [["gateway", `${url.origin}${basePath(root) || "/"}`], ...(hasPortal(root) ? [["portal", `${url.origin}/docs`]] : [])];
  return `\n${paintOut("bold", "Portico is running:")}\n${urls.map(([name, at]) => `  ${name.padEnd(8)} ${paintOut("cyan", at)}`).join("\n")}\n`;
}

/** `portico dev [wrangler dev options]`; resolves to wrangler's exit code. */
export async function dev(argv: string[]): Promise<number> {
  const root = process.cwd();
  const script = wranglerScript(root);
  if (!script) {
    printProblem({ message: "wrangler is not installed.", where: root, hint: "run `npm install` in the project folder." }, false);
    return 1;
  }
  ensureAssets(root);
  let front: DevFront | undefined;
  try {
    front = await startDevFront(root, argv);
  } catch (error) {
    printProblem(
      { message: `portico dev cannot listen: ${(error as Error).message}`, where: root, hint: "stop what uses the address, or pass another with --port." },
      false,
    );
    return 1;
  }
  // wrangler's output comes through a pipe here, so it would drop its colours without being told.
  const colour = usesColour(process.stdout) && process.env.FORCE_COLOR === undefined ? { FORCE_COLOR: "1" } : {};
  // The Node running portico, not the first `node` on PATH: wrangler needs Node 22 or later.
  const child = spawn(process.execPath, [script, "dev", ...(front?.wranglerArgs ?? argv)], {
    cwd: root,
    stdio: ["inherit", "pipe", "pipe"],
    // Offline, wrangler's lookup of request.cf data at workers.cloudflare.com prints a stack on
    // every start and reload; its defaults stand in for it unless the user asked for the lookup.
    env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", ...process.env, ...colour, PORTICO_DEV: "1" },
  });
  let pending = "";
  let announced = false;
  const readable = prettyLogStream(usesColour(process.stdout));
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const text = readable(front ? front.shown(chunk) : chunk);
    process.stdout.write(text);
    if (announced) return;
    const lines = (pending + text).split("\n");
    pending = lines.pop()!.slice(-4096);
    const ready = lines.map((line) => READY.exec(stripVTControlCharacters(line))).find(Boolean);
    if (ready) {
      announced = true;
      process.stdout.write(localUrls(ready[1], root));
    }
  });
  child.stderr.pipe(process.stderr);
  // Ctrl-C reaches wrangler too; a signal sent to portico alone is passed on, and portico waits for wrangler to stop.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on("exit", () => front?.close());
    child.on("error", (error) => {
      front?.close();
      printProblem({ message: `wrangler dev could not start: ${error.message}`, where: script, hint: "run `npm install` in the project folder." }, false);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
