/**
 * @module
 * IMPORT-REPORT.md: what was imported, each part with no Portico counterpart
 * (file, place, why) and the notes a user should read before going live.
 */
import type { ImportState } from "./route-map.ts";

export function reportMarkdown(state: ImportState, operations: number): string {
  const lines = [
    "# Import from Zuplo",
    "",
    `Imported ${operations} route(s) from ${state.project.routeFiles.map((f) => f.file).join(", ")}` +
      (state.project.compatibilityDate ? ` (Zuplo compatibility date ${state.project.compatibilityDate}).` : "."),
    "",
    "## Not mapped",
    "",
  ];
  if (state.unmapped.length === 0) lines.push("Nothing: every route, policy and module has a Portico counterpart.");
  else {
    lines.push(
      "Each of these has no Portico counterpart. The operations that use it reference a module under",
      "`policies/zuplo-unmapped/` that does not exist, so `portico build` stops there until it is replaced.",
      "",
      "| file | place | why |",
      "|---|---|---|",
      ...state.unmapped.map((u) => `| ${u.file} | ${u.place.replace(/\|/g, "\\|")} | ${u.reason.replace(/\|/g, "\\|")} |`),
    );
  }
  lines.push("", "## Notes", "");
  const notes = [...state.notes];
  if (Object.values(state.schemes).some((s) => (s["x-portico"] as { credential?: string } | undefined)?.credential === "apiKey" || s.type === "apiKey"))
    notes.push("API keys live in Zuplo's key service and cannot be exported: create the consumers again with `portico keys create`.");
  if (Object.values(state.schemes).some((s) => (s["x-portico"] as { audience?: unknown } | undefined)?.audience === false))
    notes.push(
      "Clerk: session tokens carry no `aud`, and Zuplo checks none, so the scheme says `audience: false`: any unexpired token your Clerk instance signs passes, as on Zuplo. Set `audience` if your Clerk JWT template adds one.",
    );
  const env = Object.keys(state.project.env);
  if (env.length > 0) notes.push(`.env became .dev.vars (${env.join(", ")}); set them for deploys with \`wrangler secret put\` or [vars].`);
  notes.push("Portico authenticates before the operation's own inbound policies, whatever their order in the Zuplo route.");
  lines.push(...notes.map((note) => `- ${note}`), "");
  return lines.join("\n");
}

/** The report as the command prints it: one line per unmapped part. */
export function reportSummary(state: ImportState): string[] {
  return state.unmapped.map((u) => `  ${u.file} ${u.place}: ${u.reason}`);
}
