/**
 * The security table: per group, the cases tried, those that held, and the ids
 * of those that did not (a case marked `it.fails`, failing as it is known to,
 * is listed as "known").
 */
import { GROUPS, OTHER } from "./groups.ts";

export interface CaseResult {
  group: string;
  id: string | undefined;
  title: string;
  /** Its folder: test/security runs against `npm run dev`, test/workers/security inside workerd. */
  where: "test/security" | "test/workers/security";
  outcome: "held" | "failed" | "known failure" | "skipped";
}

export interface GroupRow {
  group: string;
  tried: number;
  held: number;
  failed: string[];
  known: string[];
}

export function tally(results: CaseResult[]): GroupRow[] {
  const names = [...GROUPS.map((group) => group.name), OTHER];
  const rows = names.map((group): GroupRow => ({ group, tried: 0, held: 0, failed: [], known: [] }));
  for (const result of results) {
    if (result.outcome === "skipped") continue;
    const row = rows[names.indexOf(result.group)];
    row.tried++;
    if (result.outcome === "held") row.held++;
    else (result.outcome === "failed" ? row.failed : row.known).push(result.id ?? result.title);
  }
  return rows.filter((row) => row.tried > 0);
}

const ids = (list: string[]) => [...new Set(list)].join(", ");

/** The table as Markdown. */
export function markdownTable(rows: GroupRow[]): string {
  const lines = ["| group | tried | held | failed | failing cases |", "|---|---:|---:|---:|---|"];
  for (const row of rows) {
    const failing = [row.failed.length > 0 ? ids(row.failed) : "", row.known.length > 0 ? `known: ${ids(row.known)}` : ""].filter(Boolean).join("; ");
    lines.push(`| ${row.group} | ${row.tried} | ${row.held} | ${row.failed.length + row.known.length} | ${failing || "none"} |`);
  }
  const total = rows.reduce((sum, row) => ({ tried: sum.tried + row.tried, held: sum.held + row.held }), { tried: 0, held: 0 });
  lines.push(`| **all** | ${total.tried} | ${total.held} | ${total.tried - total.held} | |`);
  return lines.join("\n");
}
