/**
 * @module
 * One OpenAPI document built the way a deploy builds it, with what each step
 * costs: compile() (every operation answered by the mock handler), the size of
 * the generated code, and wrangler's minified bundle, raw and gzipped.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { compile } from "../../src/compiler/compile.ts";

const WRANGLER = fileURLToPath(new URL("../../node_modules/wrangler/bin/wrangler.js", import.meta.url).href);

export interface Built {
  operations: number;
  compileMs: number;
  /** The generated app.ts, bytes. */
  appBytes: number;
  /** The generated request and response validators, bytes. */
  validatorBytes: number;
  bundle: string;
  bundleBytes: number;
  gzipBytes: number;
}

/** Compiles `spec` into `<work>/app` and bundles it into `<work>/dist`, minified. */
export async function buildDocument(spec: string, work: string): Promise<Built> {
  const outDir = join(work, "app");
  const begin = performance.now();
  const result = await compile({ root: work, spec, outDir, defaultHandler: "mock" });
  const compileMs = performance.now() - begin;
  if (result.errors.length > 0) throw new Error(`${spec} does not build:\n${result.errors.map((error) => error.format()).join("\n")}`);
  const generated = readdirSync(outDir).filter((file) => file.endsWith(".ts"));
  const sizeOf = (file: string) => statSync(join(outDir, file)).size;
  const appBytes = sizeOf("app.ts");
  const validatorBytes = generated.filter((file) => file !== "app.ts").reduce((sum, file) => sum + sizeOf(file), 0);

  writeFileSync(join(work, "worker.ts"), `import gateway from "./app/app.ts";\n\nexport default gateway;\n`);
  writeFileSync(join(work, "wrangler.toml"), `name = "portico-scale"\nmain = "worker.ts"\ncompatibility_date = "2026-11-01"\nsend_metrics = false\n`);
  const dist = join(work, "dist");
  mkdirSync(dist, { recursive: true });
  try {
    await promisify(execFile)(process.execPath, [WRANGLER, "deploy", "--dry-run", "--minify", "--outdir", dist, "--config", join(work, "wrangler.toml")], {
      cwd: work,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`wrangler could not bundle ${spec}:\n${stderr || stdout || (error as Error).message}`);
  }
  const bundleFile = readdirSync(dist).find((file) => file.endsWith(".js"));
  if (!bundleFile) throw new Error(`wrangler wrote no .js bundle into ${dist}.`);
  const bundle = join(dist, bundleFile);
  const code = readFileSync(bundle);
  return { operations: result.operations, compileMs, appBytes, validatorBytes, bundle, bundleBytes: code.length, gzipBytes: gzipSync(code).length };
}
