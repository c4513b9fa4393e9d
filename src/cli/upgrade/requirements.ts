/**
 * @module
 * What this Portico needs of a project, read from the Portico package itself:
 * its version (package.json), the wrangler range it is developed against (its
 * wrangler devDependency), and the compatibility date and flags of its own
 * wrangler.toml, which every test of the package runs under.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";

/** The Portico package's folder (this file is src/cli/upgrade/requirements.ts in it). */
export const PORTICO_ROOT = fileURLToPath(new URL("../../../", import.meta.url).href);

export interface Requirements {
  version: string;
  /** A semver range; undefined when the package does not say. */
  wrangler?: string;
  compatibilityDate?: string;
  compatibilityFlags: string[];
  /** Portico's own runtime dependencies: a project gets them through the package. */
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

export function readJson(file: string): Record<string, any> | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, any>) : undefined;
}

export function readToml(file: string): Record<string, any> | undefined {
  return existsSync(file) ? (parse(readFileSync(file, "utf8")) as Record<string, any>) : undefined;
}

export function requirements(root: string = PORTICO_ROOT): Requirements {
  const pkg = readJson(join(root, "package.json")) ?? {};
  const toml = readToml(join(root, "wrangler.toml")) ?? {};
  return {
    version: String(pkg.version ?? "0.0.0"),
    wrangler: pkg.peerDependencies?.wrangler ?? pkg.devDependencies?.wrangler,
    compatibilityDate: toml.compatibility_date,
    compatibilityFlags: toml.compatibility_flags ?? [],
    dependencies: pkg.dependencies ?? {},
    devDependencies: pkg.devDependencies ?? {},
  };
}
