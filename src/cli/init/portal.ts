/**
 * @module
 * The portal's pages after `portico init`: a short getting-started page made
 * from the document's info in place of the example's, and the portal's title
 * in portal/portal.config set to the API's (its comments and other keys kept).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, parseDocument } from "yaml";

export const GUIDE = "portal/pages/getting-started.md";
export const PORTAL_CONFIG = "portal/portal.config";

/** The getting-started page for the API the document describes, served at `gateway` when the document says where. */
export function gettingStarted(info: Record<string, any>, gateway: string | undefined): string {
  const title = String(info.title ?? "the API");
  const about = typeof info.description === "string" ? info.description.trim() : typeof info.summary === "string" ? info.summary.trim() : "";
  return `---
title: Getting started
order: 1
---

# Getting started with ${title}

${about ? `${about}\n\n` : ""}${gateway ? `Send your requests to \`${gateway}\`; every one goes through the Portico gateway.` : "Every request goes through the Portico gateway."}
Errors the gateway itself makes are [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem
documents (\`application/problem+json\`) with a \`requestId\`: quote it when you report a problem.

The operations list what each one takes and answers, and their try-it console sends a real
request. An operation answered by the mock takes \`Prefer: code=<status>\` or
\`Prefer: example=<name>\` to return another of its documented answers.
`;
}

/** portal/portal.config with the API's title; undefined for a project without a portal. */
export function portalConfig(root: string, title: string): string | undefined {
  if (!existsSync(join(root, "portal"))) return undefined;
  const file = join(root, PORTAL_CONFIG);
  if (!existsSync(file)) return `# The developer portal (every key optional): served at /docs.\ntitle: ${JSON.stringify(title)}\n`;
  const document = parseDocument(readFileSync(file, "utf8"));
  if (!isMap(document.contents)) return undefined;
  document.set("title", title);
  // The example's opening comment says whose portal it is.
  return document.toString().replace(/^(#[^\n]*?) of the example\b/m, "$1");
}
