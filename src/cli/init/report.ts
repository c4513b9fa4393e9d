/**
 * @module
 * What `portico init` says: the files it is about to change (asked on a
 * terminal) or has changed, and what to do next.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { paintOut } from "../style.ts";

export interface Change {
  file: string;
  action: "write" | "remove";
  /** Said after the file's name. */
  note?: string;
}

export function changeLines(changes: Change[], done: boolean): string[] {
  const verb = (action: Change["action"]) => (done ? (action === "write" ? "wrote" : "removed") : action);
  const width = Math.max(...changes.map((change) => verb(change.action).length));
  return changes.map((change) => `  ${verb(change.action).padEnd(width)}  ${change.file}${change.note ? paintOut("dim", `  ${change.note}`) : ""}`);
}

/**
 * Worker vars wrangler.toml sets that nothing in openapi/ or policies/ reads
 * any longer (the example's STAFF_JWT_PUBLIC_KEY): named, not removed, since
 * the file keeps a copy per environment among the user's own settings.
 */
export function unreadVars(root: string, texts: string[]): string[] {
  const file = join(root, "wrangler.toml");
  if (!existsSync(file)) return [];
  let vars: Record<string, unknown> = {};
  try {
    vars = ((parseToml(readFileSync(file, "utf8")) as { vars?: Record<string, unknown> }).vars ?? {}) as Record<string, unknown>;
  } catch {
    return [];
  }
  return Object.keys(vars).filter((name) => !texts.some((text) => text.includes(name)));
}

export function nextSteps(input: { gateway: string; portal?: string; spec: string; forwardHint: boolean }): string[] {
  const lines = [
    "",
    paintOut("bold", "Next:"),
    "  npm test       runs test/api/api.test.ts: each operation answers as the document says",
    `  npm run dev    serves it on ${input.gateway}${input.portal ? `, the portal on ${input.portal}` : ""}`,
    "  git push       deploys it (see docs/deploy.md)",
  ];
  if (input.forwardHint)
    lines.push("", `To reach the real service, set handler: forward and upstream: <its URL> in the x-portico of ${input.spec} (docs/x-portico.md).`);
  return lines;
}
