/**
 * @module
 * How a project holds Portico: as the `portico` package (a dependency, found
 * under node_modules/), or as a fork of this repository (the gateway's own
 * source in src/ beside openapi/, served by src/worker.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readJson } from "./requirements.ts";

export type Layout = { kind: "package"; version?: string } | { kind: "fork"; version?: string } | { kind: "none" };

/**
 * A fork's Worker entry is Portico's src/worker.ts, which imports the app the build writes into
 * .portico/. Portico's own repository has one too, and is no fork: its package is named portico.
 */
export function isFork(root: string): boolean {
  const worker = join(root, "src", "worker.ts");
  if (readJson(join(root, "package.json"))?.name === "portico") return false;
  return existsSync(worker) && readFileSync(worker, "utf8").includes("../.portico/app");
}

export function projectLayout(root: string): Layout {
  const pkg = readJson(join(root, "package.json"));
  if (pkg?.name === "portico") return { kind: "package", version: pkg.version };
  if (isFork(root)) return { kind: "fork", version: pkg?.version };
  const installed = readJson(join(root, "node_modules", "portico", "package.json"));
  if (installed || pkg?.dependencies?.portico || pkg?.devDependencies?.portico) return { kind: "package", version: installed?.version };
  return { kind: "none" };
}
