/**
 * The wall between build time and run time: what the Worker bundles (the
 * generated app of the example, as wrangler bundles it) holds no compiler
 * code, no build-time step and no Node built-in.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/compile.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
let inputs: string[];
let imports: string[];

beforeAll(async () => {
  // A folder of its own: the workerd tests build .portico/ at the same time.
  const result = await compile({ root, outDir: mkdtempSync(join(tmpdir(), "portico-wall-")) });
  expect(result.errors).toEqual([]);
  const bundle = await build({
    entryPoints: [result.appFile!],
    absWorkingDir: root,
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    metafile: true,
    logLevel: "silent",
    alias: { portico: join(root, "src/index.ts") },
    external: ["cloudflare:*", "node:*"],
  });
  inputs = Object.keys(bundle.metafile.inputs);
  imports = Object.values(bundle.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
});

describe("the Worker bundle", () => {
  it("imports no Node built-in", () => {
    expect(imports.filter((path) => path.startsWith("node:") || /^(fs|path|url|os|crypto|child_process)$/.test(path))).toEqual([]);
  });

  it("holds no compiler, portal generator or build-time step", () => {
    expect(inputs.filter((path) => /src\/(compiler|portal|cli)\/|\/prepare\.ts$|openapi-sampler|@redocly|esbuild|ajv/.test(path))).toEqual([]);
  });

  it("holds the runtime, the built-ins the example uses and the user's modules, and no others", () => {
    expect(inputs).toContain("src/runtime/gateway.ts");
    expect(inputs).toContain("src/handlers/mock/mock.ts");
    expect(inputs).toContain("policies/cache-control.ts");
    expect(inputs.filter((path) => path.includes("src/handlers/forward/"))).toEqual([]);
  });
});
