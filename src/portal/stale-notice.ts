/**
 * @module
 * While `npm run dev` cannot build the project, the portal it serves is the last good build's.
 * Like the error overlay of a Docusaurus or Vite dev server, each page then says so on top,
 * with the first error and a link to them all, and stays readable below. The next good build
 * writes the portal afresh, without the notice.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { escapeHtml } from "./html.ts";

/** A build error as the notice shows it (the compiler's BuildError has these). */
export interface FailedBuildError {
  message: string;
  location: { file: string; line?: number; column?: number };
}

/** Any path the Worker answers: while the build fails, it answers every one with the 503 listing the errors. */
export const BUILD_ERRORS_PATH = "/_portico/build-errors";

const NOTICE = /<div data-stale-portal[^]*?<\/div>\n/;

function notice(errors: FailedBuildError[]): string {
  const [first] = errors;
  const { file, line, column } = first.location;
  const where = `${file}${line ? `:${line}${column ? `:${column}` : ""}` : ""}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  const style = "padding:0.75rem 1rem;background:#fff4ce;color:#3b2f00;border-bottom:2px solid #b08800;font:inherit";
  return (
    `<div data-stale-portal role="alert" style="${style}"><strong>This portal is from the last good build;</strong> ` +
    `the current build fails: ${escapeHtml(first.message)} <code>${escapeHtml(where)}</code>${more}. ` +
    `<a href="${BUILD_ERRORS_PATH}" style="color:inherit">See every build error</a>.</div>\n`
  );
}

/** Puts the notice at the top of every page of the portal in `dir` (dist/portal), replacing an older one. Returns how many pages. */
export function markPortalStale(dir: string, errors: FailedBuildError[]): number {
  if (errors.length === 0) return 0;
  let marked = 0;
  let files: string[];
  try {
    files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".html"));
  } catch {
    return 0; // no portal built yet
  }
  for (const file of files) {
    const path = join(dir, file);
    const html = readFileSync(path, "utf8").replace(NOTICE, "");
    // The placeholder of a project never built has no <body>: it says already that the portal comes with the first good build.
    const body = /<body[^>]*>\n?/.exec(html);
    if (!body) continue;
    const at = body.index + body[0].length;
    writeFileSync(path, `${html.slice(0, at)}${notice(errors)}${html.slice(at)}`);
    marked += 1;
  }
  return marked;
}
