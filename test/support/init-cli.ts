/**
 * `portico init` as a user runs it, on a throwaway copy of the example project:
 * the CLI spawned with pipes (no terminal), in the copy's folder.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXAMPLE } from "./example-project.ts";
import { tempProject } from "./temp-project.ts";

const repository = fileURLToPath(new URL("../../", import.meta.url).href);
const bin = join(repository, "bin/portico.js");

export const EXAMPLE_FILES = [
  "openapi/openapi.yaml",
  "openapi/schemas/exhibit.yaml",
  "policies/cache-control.ts",
  "policies/ticket-code.ts",
  "portal/portal.config",
  "portal/pages/getting-started.md",
];

/** A copy of the example project as the repository ships it (the suite's own copy, not the root's), with `extra` files beside it. */
export function exampleProject(extra: Record<string, string> = {}): string {
  const files = Object.fromEntries(EXAMPLE_FILES.map((file) => [file, readFileSync(join(EXAMPLE, file), "utf8")]));
  return tempProject({ ...files, "wrangler.toml": readFileSync(join(repository, "wrangler.toml"), "utf8"), ...extra });
}

/** Runs the CLI in `cwd` without blocking this process, so that a server of the test answers meanwhile. */
export function portico(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined };
    execFile(process.execPath, [bin, ...args], { cwd, env, encoding: "utf8" }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

export const read = (root: string, file: string) => readFileSync(join(root, file), "utf8");
