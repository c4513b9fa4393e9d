/**
 * @module
 * The project layout on the portico package that `portico migrate` moves a
 * fork onto: what its package.json scripts run and what wrangler.toml serves.
 */

/** The Worker entry of a project on the package: the build writes it into .portico/ beside the app. */
export const PACKAGE_MAIN = ".portico/worker.ts";

/** The scripts every project has, the same as in Portico's own repository. */
export const PACKAGE_SCRIPTS: Record<string, string> = {
  build: "portico build",
  check: "portico check",
  dev: "portico dev",
  deploy: "wrangler deploy",
  test: "vitest run",
};

/** Development tools a project keeps even though Portico's repository uses them too. */
export const PROJECT_TOOLS = new Set(["wrangler", "vitest", "@cloudflare/vitest-plugin", "@cloudflare/workers-types", "typescript", "node"]);

/** What a fork holds of Portico itself, and goes: the package brings it. */
export const FORKED_FOLDERS = ["src", "bin"];
