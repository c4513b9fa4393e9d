/**
 * The example gateway as the repository ships it (openapi/, policies/, portal/),
 * kept in test/fixtures/example: the suite's own copy, so that no test reads
 * what sits in the root's openapi/, which is the user's to replace
 * (`npx portico init`).
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const EXAMPLE = fileURLToPath(new URL("../fixtures/example", import.meta.url).href);

/** The example's folders, as they stand at the root of a project. */
export const EXAMPLE_ENTRIES = ["openapi", "policies", "portal"];

/** Puts the example's folders into a project, in place of any there. */
export function copyExample(project: string): void {
  for (const entry of EXAMPLE_ENTRIES) {
    rmSync(join(project, entry), { recursive: true, force: true });
    if (existsSync(join(EXAMPLE, entry))) cpSync(join(EXAMPLE, entry), join(project, entry), { recursive: true });
  }
}
