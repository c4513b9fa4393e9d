/**
 * @module
 * The document `portico init` puts in place, read from where the user named
 * it: a file (and the files its relative $refs reach, refs.ts), an http(s)
 * URL (fetched, with its relative $refs), the document already in openapi/,
 * or a new one (`--empty`).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EMPTY_DOCUMENT } from "./document.ts";
import { InitProblem } from "./problem.ts";
import { documentFiles, type Reader } from "./refs.ts";

export interface Source {
  /** The document as the user named it: the path as typed, the URL, or "a new, empty API". */
  label: string;
  format: "yaml" | "json";
  /** The document's files as they will stand in openapi/, the entry first, as openapi.yaml or openapi.json. */
  files: Map<string, string>;
  /** Where each of those files came from, as the user would open it, so that build errors point there. */
  origins: Map<string, string>;
}

const FETCH_TIMEOUT_MS = 30_000;
const isUrl = (text: string) => /^https?:\/\//i.test(text);

/** A file as the user would name it: relative to the current folder when inside it. */
function shown(url: URL): string {
  if (url.protocol !== "file:") return url.href;
  const path = fileURLToPath(url.href);
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

async function fetched(url: URL): Promise<{ text: string } | { problem: string }> {
  try {
    const response = await fetch(url.href, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: "application/yaml, application/json, */*" } });
    if (!response.ok) return { problem: `${url.href} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.` };
    return { text: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: Error }).cause ?? (error as Error);
    return { problem: `Cannot fetch ${url.href}: ${cause.message}.` };
  }
}

const readFetched: Reader = async (url) => {
  const answer = await fetched(url);
  return "text" in answer ? answer.text : undefined;
};

const readLocal: Reader = async (url) => readFile(fileURLToPath(url.href), "utf8").catch(() => undefined);

function formatOf(url: URL, text: string): "yaml" | "json" {
  const extension = extname(url.pathname).toLowerCase();
  if (extension === ".json") return "json";
  if (extension === ".yaml" || extension === ".yml") return "yaml";
  try {
    JSON.parse(text);
    return "json";
  } catch {
    return "yaml";
  }
}

async function readEntry(url: URL, label: string): Promise<string> {
  const hint = "Give the path of your OpenAPI document (YAML or JSON) or its http(s) URL, or start from --empty.";
  if (url.protocol !== "file:") {
    const answer = await fetched(url);
    if ("problem" in answer) throw new InitProblem(answer.problem, `portico init --from ${label}`, hint);
    return answer.text;
  }
  try {
    return await readFile(fileURLToPath(url.href), "utf8");
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === "ENOENT" ? "there is no such file" : code === "EISDIR" ? "it is a folder" : message;
    throw new InitProblem(`Cannot read ${label}: ${why}.`, `portico init --from ${label}`, hint);
  }
}

/** The document named by `--from`, or the one in openapi/ without it, or a new one with `--empty`. */
export async function readSource(root: string, from: string | undefined, empty: boolean): Promise<Source> {
  if (empty) {
    return {
      label: "a new, empty API",
      format: "yaml",
      files: new Map([["openapi.yaml", EMPTY_DOCUMENT]]),
      origins: new Map([["openapi.yaml", "openapi/openapi.yaml"]]),
    };
  }
  let location = from;
  if (location === undefined) {
    const inPlace = ["openapi/openapi.yaml", "openapi/openapi.json"].find((file) => existsSync(join(root, file)));
    if (!inPlace)
      throw new InitProblem(
        "openapi/ holds no openapi.yaml or openapi.json.",
        "portico init",
        "Name your document with --from <path|url>, or start from --empty.",
      );
    location = relative(process.cwd(), join(root, inPlace)) || inPlace;
  }
  const entry = isUrl(location) ? new URL(location) : pathToFileURL(resolve(location));
  const text = await readEntry(entry, location);
  const format = formatOf(entry, text);
  const found = await documentFiles(entry, text, entry.protocol === "file:" ? readLocal : readFetched, shown);
  const folder = new URL(".", entry).href;
  const entryName = `openapi.${format}`;
  const files = new Map<string, string>();
  const origins = new Map<string, string>();
  for (const [href, content] of found) {
    const name = href === entry.href ? entryName : decodeURIComponent(href.slice(folder.length));
    if (href !== entry.href && name === entryName) {
      throw new InitProblem(
        `The document $refs a file named ${entryName} beside it, the name the document itself takes in openapi/.`,
        shown(new URL(href)),
        `Rename that file (and its $refs), or name the document ${entryName}.`,
      );
    }
    files.set(name, content);
    origins.set(name, href === entry.href ? location : shown(new URL(href)));
  }
  return { label: location, format, files, origins };
}
