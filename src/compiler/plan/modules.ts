/**
 * @module
 * Loads a user module from policies/ at build time to read what it declares
 * (kind, options schema, hooks). The module is bundled with esbuild first, so
 * TypeScript and its `import ... from "portico"` work in Node as in workerd.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { Hook } from "../../builtin-descriptor.ts";

export interface LoadedModule {
  kind: "policy" | "handler";
  options?: object;
  hooks: Hook[];
}

const PORTICO_ENTRY = fileURLToPath(new URL("../../index.ts", import.meta.url).href);

/** Returns what the module declares, or a sentence saying what is wrong with it. */
export async function loadUserModule(file: string, cacheDir: string): Promise<LoadedModule | string> {
  if (!existsSync(file)) return "the file does not exist";
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(cacheDir, `${file.replace(/[^A-Za-z0-9]+/g, "_")}.${Date.now()}.mjs`);
  try {
    await build({
      entryPoints: [file],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile,
      logLevel: "silent",
      alias: { portico: PORTICO_ENTRY },
      external: ["cloudflare:*"],
    });
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location?: { line: number } }> }).errors?.[0];
    return first ? `it does not compile: ${first.text}${first.location ? ` (line ${first.location.line})` : ""}` : "it does not compile";
  }
  let exported: any;
  try {
    exported = (await import(pathToFileURL(outfile).href)).default;
  } catch (error) {
    return `it throws when loaded: ${(error as Error).message}`;
  }
  if (exported?.kind === "policy") {
    const hooks = (["inbound", "outbound", "finish"] as const).filter((h) => typeof exported[h] === "function");
    return { kind: "policy", options: exported.options, hooks };
  }
  if (exported?.kind === "handler") return { kind: "handler", options: exported.options, hooks: ["handle"] };
  return 'its default export is not made by definePolicy or defineHandler from "portico"';
}
