/**
 * @module
 * The files an OpenAPI document is made of: the document and every file its
 * relative $refs reach, read through file: or http(s): URLs alike. Only
 * files inside the document's own folder are taken, so the copy keeps their
 * places relative to one another. A $ref with a scheme of its own, or to a
 * file that cannot be read or parsed, is left for the build to report,
 * located.
 */
import { parse } from "yaml";
import { InitProblem } from "./problem.ts";

/** Reads one file; undefined when it cannot be read. */
export type Reader = (url: URL) => Promise<string | undefined>;

function parsed(text: string, url: URL): unknown {
  try {
    return url.pathname.endsWith(".json") ? JSON.parse(text) : parse(text, { maxAliasCount: -1 });
  } catch {
    return undefined;
  }
}

/** The file part of every $ref that names another file, relative or not. */
function refsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") {
        const file = item.split("#")[0];
        if (file !== "") out.add(file);
      } else refsIn(item, out);
    }
  }
  return out;
}

/** Every file of the document by URL, the entry (already read) first. */
export async function documentFiles(entry: URL, entryText: string, read: Reader, show: (url: URL) => string): Promise<Map<string, string>> {
  const folder = new URL(".", entry).href;
  const files = new Map<string, string>();
  const queue: URL[] = [entry];
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (files.has(url.href)) continue;
    const text = url.href === entry.href ? entryText : await read(url);
    if (text === undefined) continue;
    files.set(url.href, text);
    for (const ref of refsIn(parsed(text, url))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) continue;
      const target = new URL(ref, url);
      target.hash = "";
      target.search = "";
      if (!target.href.startsWith(folder)) {
        throw new InitProblem(
          `The document $refs "${ref}", outside the folder it sits in; only that folder's files are copied into openapi/.`,
          show(url),
          "Move the file into the document's folder (or below it) and point the $ref there, or bundle the document into one file (`npx @redocly/cli bundle`).",
        );
      }
      queue.push(target);
    }
  }
  return files;
}
