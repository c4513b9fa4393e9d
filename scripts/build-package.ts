/**
 * @module
 * `npm pack` and `npm publish` run this first (prepack): every module of src/
 * compiled to JavaScript in dist-pkg/, at the same relative path, for the
 * Node side of the package (the CLI, the compiler, the portal generator, a
 * built-in's build.ts). Node refuses to strip TypeScript types under
 * node_modules, so a project that installs portico cannot run src/ itself; the
 * Workers side stays TypeScript in src/, which wrangler and vitest bundle.
 *
 * Each module is compiled alone, its imports left as they are but for `.ts`
 * becoming `.js`. `import.meta.url` is made to mean the module's source in
 * src/, so what the compiler resolves against it (the runtime folder a
 * generated app imports, a built-in's run-time module, the portal's assets)
 * is the TypeScript a bundler reads, as when running from this repository.
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const src = join(root, "src");
const out = join(root, "dist-pkg");

/** The source beside the compiled module: dist-pkg/x/y.js → src/x/y.ts (the last dist-pkg/ of the path). */
const SOURCE_URL = `const __porticoSourceUrl = ((url) => { const at = url.lastIndexOf("/dist-pkg/"); return url.slice(0, at) + "/src/" + url.slice(at + 10).replace(/\\.js$/, ".ts"); })(import.meta.url);`;

/** Every import stays an import: a relative one of a `.ts` module names its compiled `.js`. */
const keepImports: Plugin = {
  name: "keep-imports",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      return { path: args.path.startsWith(".") ? args.path.replace(/\.ts$/, ".js") : args.path, external: true };
    });
  },
};

const entryPoints = readdirSync(src, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.endsWith(".d.ts"))
  .map((file) => join(src, file));

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints,
  outbase: src,
  outdir: out,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node24",
  plugins: [keepImports],
  banner: { js: SOURCE_URL },
  define: { "import.meta.url": "__porticoSourceUrl" },
  logLevel: "warning",
});
console.log(`portico: compiled ${entryPoints.length} modules of src/ into dist-pkg/`);
