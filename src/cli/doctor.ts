/**
 * @module
 * `portico doctor`: the project's Portico, wrangler and compatibility date
 * against what this Portico needs, the bindings and migrations wrangler.toml
 * lacks, and the deprecated x-portico keys an upgrade changes.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, paintOut, printProblem } from "./style.ts";
import { doctorReport } from "./upgrade/doctor-report.ts";

export const DOCTOR_HELP = `portico doctor — check the project against this Portico

Usage: portico doctor [--root <dir>] [--json]

Reports the project's Portico version and layout (the package, or a fork of
its source), the wrangler version and compatibility date Portico needs against
the project's own, the Durable Object bindings and migrations its wrangler.toml
lacks, and each deprecated x-portico key with its new spelling (\`portico
migrate\` applies the renames).

Exit codes: 0 nothing to fix or only warnings; 1 an error (no wrangler.toml, a
document that does not build).

Options:
  --root <dir>   The project folder (default: the current folder)
  --json         Print the report as JSON`;

export async function doctor(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        root: { type: "string", default: process.cwd() },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    printProblem({ message: (error as Error).message, where: "portico doctor", hint: "run `portico doctor --help`." }, argv.includes("--json"));
    return 2;
  }
  if (values.help) {
    console.log(DOCTOR_HELP);
    return 0;
  }
  const report = await doctorReport(resolve(values.root));
  const failed = report.findings.some((finding) => finding.severity !== "warning");
  if (values.json) {
    console.log(JSON.stringify({ ok: !failed, ...report }, null, 2));
    return failed ? 1 : 0;
  }
  const { layout, needs, project } = report;
  const installed =
    layout.kind === "none" ? "not installed" : `${layout.version ?? "unknown version"}${layout.kind === "fork" ? " (a fork of its source)" : ""}`;
  console.log(`Portico      ${installed}; this is Portico ${needs.version}`);
  console.log(`wrangler     ${project.wrangler ?? "not installed"}; needs ${needs.wrangler ?? "any"}`);
  console.log(`compat date  ${project.compatibilityDate ?? "not set"}; needs ${needs.compatibilityDate ?? "any"} or later`);
  for (const finding of report.findings) console.error(formatProblem(finding));
  const count = report.findings.length;
  console.log(count === 0 ? paintOut("green", "portico doctor: nothing to fix.") : `portico doctor: ${count} thing(s) to fix.`);
  return failed ? 1 : 0;
}
