/**
 * @module
 * The counts table of docs/validation.md ("Self-consistency"), between its
 * markers: `npm run consistency` runs the check and writes it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { countsOf, type DocumentResult, MAX_OPERATIONS } from "./run.ts";

export const DOC = join(fileURLToPath(new URL("../../", import.meta.url).href), "docs/validation.md");
const START = "<!-- consistency:start -->";
const END = "<!-- consistency:end -->";

export function table(results: DocumentResult[]): string {
  const rows = results.map((result) => {
    const c = countsOf(result);
    const excluded: string[] = [];
    if (result.error) excluded.push("does not build");
    if (c.tried < c.operations) excluded.push(`${c.operations - c.tried} not tried (${MAX_OPERATIONS} a document, spread evenly)`);
    if (c.nothingToBreak > 0) excluded.push(`${c.nothingToBreak} with no constraint to break (refusal not tried)`);
    if (c.unsent > 0) excluded.push(`${c.unsent} with no media type to synthesise`);
    if (c.examplesReplaced > 0) excluded.push(`${c.examplesReplaced} example(s) breaking their schema, generated instead`);
    return `| ${result.document.name} | ${c.tried} of ${c.operations} | ${c.admitted} | ${c.refused} of ${c.breakable} | ${excluded.join("; ") || "none"} |`;
  });
  return ["| document | operations tried | admitted | refused as expected | excluded |", "|---|---|---|---|---|", ...rows].join("\n");
}

export function writeTable(results: DocumentResult[]): void {
  const text = readFileSync(DOC, "utf8");
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOC} has no ${START} … ${END} markers.`);
  writeFileSync(DOC, `${text.slice(0, from + START.length)}\n\n${table(results)}\n\n${text.slice(to)}`);
}
