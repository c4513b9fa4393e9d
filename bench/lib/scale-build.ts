/**
 * @module
 * One OpenAPI document built the way a deploy builds it, with what each step
 * costs: compile() (every operation answered by the mock handler), the size of
 * the generated code, and wrangler's minified bundle, raw and gzipped.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { compile } from "../../src/compiler/compile.ts";
import { bundleEntry } from "./workerd.ts";

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
  const { dir, modules } = await bundleEntry(join(work, "worker.ts"), work, "portico-scale", true);
  const bundle = join(dir, modules[0]);
  const code = readFileSync(bundle);
  return { operations: result.operations, compileMs, appBytes, validatorBytes, bundle, bundleBytes: code.length, gzipBytes: gzipSync(code).length };
}
