/**
 * @module
 * Loads a user module from policies/ at build time to read what it declares
 * (kind, options schema, hooks). The module is bundled with esbuild first, so
 * TypeScript and its `import ... from "portico"` work in Node as in workerd.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { Hook } from "../../builtin-descriptor.ts";

export interface LoadedModule {
  kind: "policy" | "handler";
  options?: object;
  hooks: Hook[];
}

/** A mistake in the module's own code, where it is: its file (absolute) and, when known, the position. */
export interface ModuleFault {
  message: string;
  file: string;
  line?: number;
  column?: number;
}

/** What is wrong inside a module that exists: each fault, and what to do about them. */
export interface BrokenModule {
  faults: ModuleFault[];
  hint: string;
}

export const PORTICO_ENTRY = fileURLToPath(new URL("../../index.ts", import.meta.url).href);

const SHAPE = 'Write it as `export default definePolicy({...})` or `defineHandler({...})` from "portico" (docs/policies.md shows both).';

/** esbuild's message, where it is: its columns count UTF-8 bytes from 0, an editor's characters from 1. */
function faultOf(message: { text: string; location: { file: string; line: number; column: number; lineText: string } | null }, file: string): ModuleFault {
  const at = message.location;
  if (!at) return { message: message.text, file };
  const column = Buffer.from(at.lineText).subarray(0, at.column).toString().length + 1;
  return { message: message.text, file: resolve(dirname(file), at.file), line: at.line, column };
}

/**
 * Returns what the module declares; a sentence when the file is not there (the
 * reference is wrong); or the faults of its code (the module is wrong).
 */
export async function loadUserModule(file: string, cacheDir: string): Promise<LoadedModule | BrokenModule | string> {
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
      absWorkingDir: dirname(file),
      logLevel: "silent",
      alias: { portico: PORTICO_ENTRY },
      external: ["cloudflare:*"],
    });
  } catch (error) {
    const messages = (error as { errors?: Parameters<typeof faultOf>[0][] }).errors ?? [];
    const faults = messages.length > 0 ? messages.map((message) => faultOf(message, file)) : [{ message: "It does not compile.", file }];
    return { faults, hint: "Fix the code there (docs/policies.md shows how a module is written); `npx portico check` checks it again." };
  }
  let exported: any;
  try {
    exported = (await import(pathToFileURL(outfile).href)).default;
  } catch (error) {
    return {
      faults: [{ message: `It throws when loaded: ${(error as Error).message}`, file }],
      hint: "Code at the top level of the module runs when the gateway starts: move work that can fail into a hook.",
    };
  }
  if (exported?.kind === "policy") {
    const hooks = (["inbound", "outbound", "finish"] as const).filter((h) => typeof exported[h] === "function");
    return { kind: "policy", options: exported.options, hooks };
  }
  if (exported?.kind === "handler") return { kind: "handler", options: exported.options, hooks: ["handle"] };
  return { faults: [{ message: 'Its default export is not made by definePolicy or defineHandler from "portico".', file }], hint: SHAPE };
}
