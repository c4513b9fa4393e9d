/**
 * @module
 * The command line of `portico import zuplo <dir> [--out <dir>]`.
 */
import { basename, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { paintErr, paintOut, printProblem } from "../style.ts";
import { reportSummary } from "./report.ts";

export const IMPORT_HELP = `portico import zuplo — a Portico project from a Zuplo project

Usage: portico import zuplo <dir> [--out <dir>]

Reads the Zuplo project in <dir> (config/*.oas.json with x-zuplo-route,
config/policies.json, modules/, zuplo.jsonc, .env) and writes a Portico project:
openapi/openapi.yaml with x-portico for each route, policies/zuplo/ (the custom
modules with adapters to Portico's API), .dev.vars and IMPORT-REPORT.md.

Every part with no Portico counterpart is printed and listed in
IMPORT-REPORT.md with its file and place; the operations using it reference a
module under policies/zuplo-unmapped/ that does not exist, so \`portico build\`
stops there until it is replaced.

Options:
  --out <dir>    where to write the project (default: ./<dir's name>-portico); must be empty or new
  -h, --help     show help`;

export async function importCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: "string" }, help: { type: "boolean", short: "h", default: false } } });
  } catch (error) {
    printProblem({ message: (error as Error).message, where: "portico import", hint: "run `portico import --help`." }, false);
    return 2;
  }
  const [source, dir] = parsed.positionals;
  if (parsed.values.help) {
    console.log(IMPORT_HELP);
    return 0;
  }
  if (source !== "zuplo" || !dir) {
    printProblem(
      {
        message: source && source !== "zuplo" ? `Cannot import from "${source}".` : "Name the Zuplo project's folder.",
        where: "portico import",
        hint: "portico import zuplo <dir> [--out <dir>]",
      },
      false,
    );
    return 2;
  }
  const out = resolve(parsed.values.out ?? `${basename(resolve(dir))}-portico`);
  // Loaded here: it reads the built-ins' names from the compiler, which other commands must not need.
  const { importZuplo } = await import("./import-zuplo.ts");
  let result;
  try {
    result = importZuplo(resolve(dir), out);
  } catch (error) {
    printProblem(
      {
        message: (error as Error).message,
        where: "portico import zuplo",
        hint: "point it at a Zuplo project's folder (the one holding config/), and --out at a new folder.",
      },
      false,
    );
    return 1;
  }
  const shown = relative(process.cwd(), out) || ".";
  console.log(paintOut("green", `portico import zuplo: ${result.operations} route(s) written into ${shown}/ (${result.files.length} files).`));
  const { unmapped } = result.state;
  if (unmapped.length > 0) {
    console.error(paintErr("yellow", `${unmapped.length} part(s) have no Portico counterpart (also in ${shown}/IMPORT-REPORT.md):`));
    for (const line of reportSummary(result.state)) console.error(line);
    console.error("`portico build` stops at each of them until it is replaced.");
  }
  return 0;
}
