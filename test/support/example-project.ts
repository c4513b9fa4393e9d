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

/** Buys a ticket from the example served at `base`, which takes an API key: 201 with a working key, 401 without. */
export async function buyTicket(base: string, key: string): Promise<number> {
  const response = await fetch(`${base}/v1/tickets`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: JSON.stringify({ date: "2026-12-01", type: "adult" }),
  });
  await response.body?.cancel();
  return response.status;
}
