/**
 * The Worker as `wrangler deploy` would upload it, bundled by a real
 * `wrangler deploy --dry-run` of the example gateway (which runs the [build]
 * command first): it stays under the gzip budget of package.json's
 * `"portico": { "bundleBudget": "1 MB" }`, imports no Node built-in, and holds
 * no build-time code (the wall between build time and run time).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExample } from "../support/example-project.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");
const DEFAULT_BUDGET = "1 MB";
// Not part of the Worker, or made by a build: the copy leaves them out.
const NOT_COPIED = new Set(["node_modules", ".git", ".wrangler", ".portico", "dist", "test"]);

/** "1 MB" (10^6 bytes), "512 KiB" (2^10), "800 kB", or a number of bytes. */
function parseSize(size: string | number): number {
  if (typeof size === "number") return size;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib)?\s*$/i.exec(size);
  if (!match) throw new Error(`bundleBudget "${size}" is not a size: write it as "1 MB", "512 KiB" or a number of bytes.`);
  const unit = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 * 1024 }[(match[2] ?? "b").toLowerCase() as "b"];
  return Math.round(Number(match[1]) * unit);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;

/** Every module the code imports or requires, statically or not, as the JavaScript parser of esbuild reads it. */
async function importSpecifiers(code: string): Promise<string[]> {
  const found: string[] = [];
  await build({
    stdin: { contents: code, loader: "js", sourcefile: "worker.js" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    logLevel: "silent",
    plugins: [{ name: "collect", setup: (b) => b.onResolve({ filter: /.*/ }, ({ path }) => (found.push(path), { path, external: true })) }],
  });
  return found;
}

interface BundleReport {
  raw: number;
  gzip: number;
  builtins: string[];
  problems: string[];
}

/** The size of the modules as uploaded (raw and gzipped), the Node built-ins they import, and what is wrong. */
async function checkBundle(modules: Record<string, string | Buffer>, budget: number): Promise<BundleReport> {
  const contents = Object.values(modules);
  const raw = contents.reduce((n, module) => n + Buffer.byteLength(module), 0);
  const gzip = contents.reduce((n, module) => n + gzipSync(module).length, 0);
  const scripts = Object.entries(modules).filter(([name]) => /\.m?js$/.test(name));
  const builtins = (await Promise.all(scripts.map(([, code]) => importSpecifiers(code.toString())))).flat().filter((specifier) => isBuiltin(specifier));
  const problems = [];
  if (gzip > budget)
    problems.push(
      `The Worker bundle is ${kib(gzip)} gzipped, over its budget of ${kib(budget)}: see what grew in the metafile (wrangler deploy --dry-run --metafile), or raise "portico": { "bundleBudget" } in package.json.`,
    );
  if (builtins.length > 0)
    problems.push(`The Worker bundle imports Node built-ins (${builtins.join(", ")}), which Workers code must not: find the module that does in the metafile.`);
  return { raw, gzip, builtins, problems };
}

let project: string;
let budget: { text: string; bytes: number };
let report: BundleReport;
let inputs: string[];

beforeAll(async () => {
  const settings = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).portico ?? {};
  const text = settings.bundleBudget ?? DEFAULT_BUDGET;
  budget = { text: String(text), bytes: parseSize(text) };
  // A copy of its own: the workerd tests build the root's .portico/ at the same time.
  project = mkdtempSync(join(tmpdir(), "portico-bundle-"));
  for (const entry of readdirSync(root).filter((name) => !NOT_COPIED.has(name))) cpSync(join(root, entry), join(project, entry), { recursive: true });
  // The gateway measured is the example's, whatever the root's openapi/ holds.
  copyExample(project);
  symlinkSync(join(root, "node_modules"), join(project, "node_modules"));
  const out = join(project, "dist-check");
  const metafile = join(project, "bundle-meta.json");
  execFileSync(process.execPath, [wrangler, "deploy", "--dry-run", "--env", "production", "--outdir", out, "--metafile", metafile], {
    cwd: project,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", NO_COLOR: "1" },
    encoding: "utf8",
    stdio: "pipe",
  });
  // What wrangler uploads: the modules, not its README or the source maps (uploaded only when asked).
  const uploaded = readdirSync(out).filter((name) => name !== "README.md" && !name.endsWith(".map"));
  report = await checkBundle(Object.fromEntries(uploaded.map((name) => [name, readFileSync(join(out, name))])), budget.bytes);
  inputs = Object.keys(JSON.parse(readFileSync(metafile, "utf8")).inputs);
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("the Worker bundle of the example gateway", () => {
  it("is within the gzip budget", () => {
    console.log(`Worker bundle: ${kib(report.raw)}, ${kib(report.gzip)} gzipped; budget ${budget.text} (${kib(budget.bytes)}) gzipped`);
    expect(report.problems.filter((problem) => problem.includes("budget"))).toEqual([]);
    expect(report.gzip).toBeGreaterThan(10 * 1024);
  });

  it("imports no Node built-in", () => {
    expect(report.builtins).toEqual([]);
  });

  it("holds no compiler, portal generator or build-time step", () => {
    expect(inputs.filter((path) => /src\/(compiler|portal|cli)\/|\/prepare\.ts$|openapi-sampler|@redocly|esbuild|ajv/.test(path))).toEqual([]);
  });

  it("holds the runtime, the built-ins the example uses and the user's modules, and no others", () => {
    expect(inputs).toContain("src/runtime/gateway.ts");
    expect(inputs).toContain("src/handlers/mock/mock.ts");
    expect(inputs).toContain("policies/cache-control.ts");
    // wrangler.toml binds every built-in's Durable Object class, so the Worker exports each whether the
    // document uses it or not: of forward, its CircuitBreakers class and the breaker it keeps, no more.
    const forward = inputs.filter((path) => path.includes("src/handlers/forward/"));
    expect(forward.filter((path) => !/\/(circuit-breakers|breaker)\.ts$/.test(path))).toEqual([]);
    // Its patterns are all safe on the native engine: the linear-time one stays out.
    expect(inputs.filter((path) => /re2js|linear-reg-exp/.test(path))).toEqual([]);
  });
});

describe("the bundle check", () => {
  it("fails a bundle over its budget, and says by how much", async () => {
    const { problems, gzip } = await checkBundle(
      { "worker.js": `export default { fetch() { return new Response(${JSON.stringify("x".repeat(5000))}); } };` },
      20,
    );
    expect(gzip).toBeGreaterThan(20);
    expect(problems).toEqual([expect.stringMatching(/^The Worker bundle is [\d.]+ KiB gzipped, over its budget of 0\.02 KiB/)]);
  });

  it("fails a bundle that imports or requires a Node built-in, found by parsing, not by words in the text", async () => {
    const code = `import fs from "node:fs";
      const path = require("path");
      // require("os") in a comment, and "import 'crypto'" in a string, import nothing.
      const text = "import 'crypto'";
      export default { fetch: async () => new Response(text + fs + path + (await import("child_process"))) };
      import { DurableObject } from "cloudflare:workers";`;
    const { builtins, problems } = await checkBundle({ "worker.js": code }, parseSize(DEFAULT_BUDGET));
    expect(builtins.sort()).toEqual(["child_process", "node:fs", "path"]);
    expect(problems).toEqual([expect.stringContaining("imports Node built-ins (")]);
  });

  it("reads the budget as users write it", () => {
    expect(parseSize("1 MB")).toBe(1_000_000);
    expect(parseSize("512 KiB")).toBe(524_288);
    expect(parseSize("1.5MiB")).toBe(1_572_864);
    expect(parseSize(250_000)).toBe(250_000);
    expect(() => parseSize("a lot")).toThrow(/"a lot" is not a size/);
  });
});
