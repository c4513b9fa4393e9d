/**
 * @module
 * Where the MCP server may answer: a path that no route of the document (its
 * base path included), no route the gateway keeps for itself and no page of
 * the developer portal already takes.
 */
import type { PlannedPath } from "../emit/emit.ts";

/** Whether a request to `path` would match the document's path template (base path included). */
function matchesTemplate(template: string, path: string): boolean {
  const pattern = template
    .split(/(\{[^{}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`).test(path);
}

/** What else answers `at`: the gateway's own routes, the portal, or a document path. */
export function pathCollision(at: string, paths: PlannedPath[], basePath: string, portalBase?: string): string | undefined {
  if (at === "/openapi.json" || at === "/_portico" || at.startsWith("/_portico/")) return "a path the gateway keeps for itself";
  if (portalBase && (at === portalBase || at.startsWith(`${portalBase}/`))) return "under the developer portal's base path";
  const entry = paths.find((candidate) => matchesTemplate(basePath + candidate.path, at));
  return (
    entry && `also the document's path ${basePath + entry.path} (${entry.operations.map((op) => op.method).join(", ")}): one of them could never be reached`
  );
}
