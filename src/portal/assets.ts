/**
 * @module
 * The portal's stylesheet and scripts under names that carry a hash of their
 * content, so a browser may keep each for a year: a changed file is a new
 * name, which the pages of the same build link. The `_headers` file tells
 * Workers Static Assets so (it reads it from the root of the assets folder),
 * and gives the pages, whose names stay, a short lifetime with their ETag.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { absoluteUrl } from "./site.ts";

/** How long a browser may use a page without asking again; after that the ETag makes asking cheap. */
export const PAGE_MAX_AGE = 300;
export const IMMUTABLE = "public, max-age=31536000, immutable";

export interface PortalAssets {
  /** Original name ("search.js", "portal.css") → the name it is served under in assets/. */
  names: Map<string, string>;
  files: Array<{ name: string; content: string | Buffer }>;
}

const hashed = (name: string, content: string | Buffer) => {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 10);
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
};

/**
 * The stylesheet, every script of `clientFolder` and the logo, named by content. A script that
 * imports another beside it (`new URL("./search-match.js", …)`) gets that one's hashed name
 * written in first, so its own hash changes whenever the other's does.
 */
export function portalAssets(css: string, clientFolder: string, logo?: { name: string; file: string }): PortalAssets {
  const names = new Map<string, string>();
  const files: PortalAssets["files"] = [];
  const add = (name: string, content: string | Buffer) => {
    const servedAs = hashed(name, content);
    names.set(name, servedAs);
    files.push({ name: servedAs, content });
  };
  add("portal.css", css);
  const scripts = new Map(
    (existsSync(clientFolder) ? readdirSync(clientFolder) : [])
      .filter((file) => file.endsWith(".js"))
      .map((file) => [file, readFileSync(join(clientFolder, file), "utf8")]),
  );
  // A sibling is named as a string "./x.js" (for `new URL("./x.js", here)` or `import("./x.js")`).
  const sibling = /(["'])\.\/([\w.-]+\.js)\1/g;
  const pending = (source: string) => [...source.matchAll(sibling)].some((match) => scripts.has(match[2]));
  while (scripts.size > 0) {
    const ready = [...scripts].filter(([, source]) => !pending(source));
    // A cycle cannot be named by content; such scripts keep their imports as written.
    const batch = ready.length ? ready : [...scripts];
    for (const [file, source] of batch) {
      scripts.delete(file);
      add(
        file,
        source.replace(sibling, (whole, quote: string, name: string) => (names.has(name) ? `${quote}./${names.get(name)}${quote}` : whole)),
      );
    }
  }
  if (logo && existsSync(logo.file)) add(logo.name, readFileSync(logo.file));
  return { names, files };
}

/**
 * `_headers` for Workers Static Assets: hashed assets for a year, everything else of the portal
 * (pages, the search index) for PAGE_MAX_AGE. The rules do not overlap: where two rules match,
 * Workers join their values, and the result would say two things.
 */
export function headersFile(basePath: string, folders: string[]): string {
  const pages = ["", "404", "errors", "search-index.json", ...folders.map((folder) => `${folder}/*`)];
  const rule = (path: string, value: string) => `${absoluteUrl(basePath, path)}\n  Cache-Control: ${value}\n`;
  return [
    "# Written by `portico build` with the portal: how Workers Static Assets serve it.",
    rule("assets/*", IMMUTABLE),
    ...pages.map((path) => rule(path, `public, max-age=${PAGE_MAX_AGE}`)),
  ].join("\n");
}
