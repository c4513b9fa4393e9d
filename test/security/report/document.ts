/**
 * @module
 * The results table of docs/security.md, between its markers: record.ts runs
 * the suite at full count and writes it here.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { markdownTable, type CaseResult, type GroupRow } from "./table.ts";

export const DOC = join(fileURLToPath(new URL("../../../", import.meta.url).href), "docs/security.md");
const START = "<!-- security:start -->";
const END = "<!-- security:end -->";

/** The cases known to fail (marked `it.fails`), each with its title, for the list under the table. */
function knownFailures(results: CaseResult[]): string {
  const known = results.filter((result) => result.outcome !== "held" && result.outcome !== "skipped");
  if (known.length === 0) return "Every case held.";
  return [
    "Cases that did not hold:",
    "",
    ...known.map((result) => `- ${result.title} (${result.where}${result.outcome === "known failure" ? ", known" : ""})`),
  ].join("\n");
}

export function writeResults(rows: GroupRow[], results: CaseResult[]): void {
  const text = readFileSync(DOC, "utf8");
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOC} has no ${START} … ${END} markers.`);
  const against = (where: CaseResult["where"]) => results.filter((result) => result.where === where && result.outcome !== "skipped").length;
  const counts = `Full profile: ${against("test/security")} cases in test/security, ${against("test/workers/security")} in test/workers/security.`;
  writeFileSync(DOC, `${text.slice(0, from + START.length)}\n\n${counts}\n\n${markdownTable(rows)}\n\n${knownFailures(results)}\n\n${text.slice(to)}`);
}
