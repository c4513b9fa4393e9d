/**
 * @module
 * What pages the portal has and where each is served. One list of operations,
 * each with the one name its page, its links and its search entry use, and
 * the groups the navigation lists them under: the document's tags, or, for a
 * document without tags, the first segment of their paths.
 */
import { slugOf } from "./html.ts";
import { descriptionText } from "./markdown.ts";
import type { PortalLimit, PortalOperation } from "../portal-input.ts";

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export interface SiteOperation {
  /** The operationId, else what the compiler names it by: "GET /items/{id}". */
  id: string;
  /** Its page's name, unique among the operations. */
  slug: string;
  method: string;
  path: string;
  summary?: string;
  /** Its summary, when that is one short line: what it is called where room is short (operationTitle). */
  title?: string;
  /** Its title, else its method and path: for search results and the page's <title>. */
  label: string;
  /** The groups it is listed under (its tags), the first the one its page belongs to. */
  groups: string[];
  operation: Record<string, any>;
  pathItem: Record<string, any>;
  limits: PortalLimit[];
}

export interface SiteGroup {
  name: string;
  slug: string;
  description?: string;
  operations: SiteOperation[];
}

/** Every operation of the document, in its order, with a page name no other operation has. */
export function collectOperations(document: Record<string, any>, planned: PortalOperation[] = []): SiteOperation[] {
  const out: SiteOperation[] = [];
  const used = new Set<string>();
  const untagged: Array<{ path: string; at: number }> = [];
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const pathItem = (rawItem ?? {}) as Record<string, any>;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation || typeof operation !== "object") continue;
      const plan =
        planned.find((op) => op.method.toLowerCase() === method && op.path === path) ??
        planned.find((op) => operation.operationId && op.operationId === operation.operationId);
      const id = String(operation.operationId ?? plan?.operationId ?? `${method.toUpperCase()} ${path}`);
      let slug = slugOf(id);
      while (used.has(slug.toLowerCase())) slug += "_";
      used.add(slug.toLowerCase());
      const tags = Array.isArray(operation.tags) ? operation.tags.filter((tag: unknown) => typeof tag === "string" && tag !== "") : [];
      if (!tags.length) untagged.push({ path, at: out.length });
      const summary = typeof operation.summary === "string" && operation.summary.trim() !== "" ? operation.summary.trim() : undefined;
      const title = operationTitle(summary);
      out.push({
        id,
        slug,
        method,
        path,
        summary,
        title,
        label: title ?? `${method.toUpperCase()} ${path}`,
        groups: tags,
        operation,
        pathItem,
        limits: plan?.limits ?? [],
      });
    }
  }
  // Without a tag, an operation is listed under its path's first segment (Stripe's 468 would otherwise share one list).
  const prefix = commonPrefix(untagged.map(({ path }) => segments(path)));
  for (const { path, at } of untagged) out[at].groups = [segments(path)[prefix] ?? "/"];
  return out;
}

/** Past this length a summary is a description (OpenAI writes paragraphs there), too long to name the operation by. */
const TITLE_UP_TO = 80;

/** The summary as plain text when it is one short line. */
export function operationTitle(summary: unknown): string | undefined {
  if (typeof summary !== "string" || summary.trim().includes("\n")) return undefined;
  const text = descriptionText(summary);
  return text !== "" && text.length <= TITLE_UP_TO ? text : undefined;
}

/** Declared tags first, in the document's order, then the others in order of first use. */
export function groupsOf(document: Record<string, any>, operations: SiteOperation[]): SiteGroup[] {
  const byName = new Map<string, SiteOperation[]>();
  for (const op of operations) for (const name of op.groups) byName.set(name, [...(byName.get(name) ?? []), op]);
  const declared = (Array.isArray(document.tags) ? document.tags : []).filter((tag: any) => typeof tag?.name === "string" && byName.has(tag.name));
  const names = [...declared.map((tag: any) => tag.name as string), ...[...byName.keys()].filter((name) => !declared.some((tag: any) => tag.name === name))];
  const descriptions = new Map<string, string | undefined>(
    declared.map((tag: any) => [tag.name, typeof tag.description === "string" ? tag.description : undefined]),
  );
  const used = new Set<string>();
  return names.map((name) => {
    let slug = slugOf(name);
    while (used.has(slug.toLowerCase())) slug += "_";
    used.add(slug.toLowerCase());
    return { name, slug, description: descriptions.get(name), operations: byName.get(name)! };
  });
}

function segments(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

/**
 * How many leading segments every path shares (`/v1` of Stripe's): those name no group.
 * Parameters (`{id}`) end it, since they differ by value.
 */
function commonPrefix(paths: string[][]): number {
  if (!paths.length) return 0;
  let length = 0;
  const literal = (segment: string | undefined) => segment !== undefined && !segment.startsWith("{");
  for (;;) {
    const segment = paths[0][length];
    // Shared, and followed by a literal segment in every path, which then names the group.
    if (!literal(segment) || !paths.every((path) => path[length] === segment && literal(path[length + 1]))) return length;
    length += 1;
  }
}

/**
 * Where each page is served, from the base path: Workers Static Assets serve `x.html` at `x`
 * and `folder/index.html` at `folder/` (html_handling "auto-trailing-slash"), and answer the
 * file's own name with a redirect, so links use these.
 */
export const served = {
  home: "",
  errors: "errors",
  notFound: "404",
  schemas: "schemas/",
  webhooks: "webhooks/",
  /** The signed-in developer's keys, answered by the Worker (src/selfserve), with portal.config `auth`. */
  keys: "keys",
  operation: (slug: string) => `operations/${slug}`,
  group: (slug: string) => `tags/${slug}`,
  schema: (name: string) => `schemas/${slugOf(name)}`,
  webhook: (name: string) => `webhooks/${slugOf(name)}`,
  guide: (slug: string) => `guides/${slugOf(slug)}`,
  /** A tag's samples page, on a large API (samples-page.ts); `slug` is the tag's. */
  samples: (slug: string) => `samples/${slug}`,
};

/** The file a served path is written to. */
export function fileOf(path: string): string {
  return path === "" || path.endsWith("/") ? `${path}index.html` : `${path}.html`;
}

/** A link from a page `up` below the base path ("", "../") to a served path. */
export function hrefTo(up: string, path: string): string {
  return `${up}${path}` || "./";
}

/** "/docs" (or "" at the root) and a served path: the absolute URL. */
export function absoluteUrl(basePath: string, path: string): string {
  const base = basePath.trim().replace(/^\/+|\/+$/g, "");
  return `${base ? `/${base}` : ""}/${path}`;
}

/**
 * Links written to page files (`../schemas/Pet.html`, `index.html#auth`), by this generator's
 * modules or from a document's own references, made the URLs those pages are served at: the
 * file's name would cost the reader a redirect per click.
 */
export function linkServedPages(html: string): string {
  return html.replace(/href="((?:\.\.?\/)*(?:[\w.~-]+\/)*)([\w.~-]+)\.html(#[^"]*)?"/g, (_whole, folder: string, name: string, fragment = "") => {
    const path = name === "index" ? folder : `${folder}${name}`;
    return `href="${path === "" ? "./" : path}${fragment}"`;
  });
}
