/**
 * A temporary project for `npm run dev`: the project's own code with the
 * security fixture's document and policies (test/fixtures/security), and the
 * vars it reads from .dev.vars.
 */
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exampleProject } from "../../support/dev-server.ts";

const fixture = fileURLToPath(new URL("../../fixtures/security", import.meta.url).href);

export function hostileProject(vars: Record<string, string>): string {
  const project = exampleProject();
  for (const folder of ["openapi", "policies"]) {
    rmSync(join(project, folder), { recursive: true, force: true });
    cpSync(join(fixture, folder), join(project, folder), { recursive: true });
  }
  writeFileSync(
    join(project, ".dev.vars"),
    Object.entries(vars)
      .map(([name, value]) => `${name}=${value}\n`)
      .join(""),
  );
  return project;
}
