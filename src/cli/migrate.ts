/**
 * @module
 * `portico migrate`: applies what an upgrade changes mechanically. It shows
 * the changes first and writes them only with --yes.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, paintOut, printProblem } from "./style.ts";
import { applyMigration, planMigration } from "./upgrade/migrate-plan.ts";

export const MIGRATE_HELP = `portico migrate — apply what an upgrade changes

Usage: portico migrate [--yes] [--root <dir>] [--json]

Renames deprecated x-portico keys in openapi/openapi.yaml (or .json) to their
new spelling, keeping comments and layout, and moves a project in the fork
layout (Portico's own src/ and bin/ beside openapi/) onto the portico package:
package.json depends on portico and its scripts call \`portico\`, wrangler.toml
serves the entry the build writes, and src/ and bin/ are removed.

Without --yes it prints the changes and writes nothing. \`portico doctor\`
lists what migrate cannot do for you.

Options:
  --yes          Write the changes
  --root <dir>   The project folder (default: the current folder)
  --json         Print the changes as JSON`;

export async function migrate(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        yes: { type: "boolean", short: "y", default: false },
        root: { type: "string", default: process.cwd() },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    printProblem({ message: (error as Error).message, where: "portico migrate", hint: "run `portico migrate --help`." }, argv.includes("--json"));
    return 2;
  }
  if (values.help) {
    console.log(MIGRATE_HELP);
    return 0;
  }
  const root = resolve(values.root);
  const plan = planMigration(root);
  if (values.yes) applyMigration(root, plan);
  if (values.json) {
    const changes = plan.changes.map(({ file, text, notes }) => ({ file, removed: text === null, notes }));
    const left = plan.left.map(({ deprecation, pointer, line }) => ({ ...deprecation, file: plan.spec, pointer, line }));
    console.log(JSON.stringify({ applied: values.yes, changes, left }, null, 2));
    return 0;
  }
  for (const change of plan.changes)
    console.log(`${change.text === null ? "remove" : "update"} ${change.file}\n${change.notes.map((note) => `  - ${note}`).join("\n")}`);
  for (const key of plan.left)
    console.error(
      formatProblem({
        severity: "warning",
        message: `x-portico key "${key.deprecation.from}" is deprecated and cannot be rewritten mechanically.`,
        where: `${plan.spec}:${key.line} (${key.pointer})`,
        hint: key.deprecation.note ?? `remove it${key.deprecation.to ? `, keeping "${key.deprecation.to}"` : ""}.`,
      }),
    );
  if (plan.changes.length === 0) console.log(paintOut("green", "portico migrate: nothing to change."));
  else if (!values.yes) console.log("portico migrate: nothing was written; run `portico migrate --yes` to apply these changes.");
  else
    console.log(
      paintOut("green", `portico migrate: ${plan.changes.length} change(s) written. Run \`npm install\`, then \`npm run build\` and \`npx portico doctor\`.`),
    );
  return 0;
}
