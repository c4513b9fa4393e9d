/**
 * @module
 * The portal's search index, built once at build time so the browser only
 * filters a small JSON array: no search service, no network beyond the
 * portal's own origin. Entries carry a short text, not whole descriptions,
 * so the index of a spec with a thousand operations stays a single fast fetch.
 */

export interface SearchEntry {
  kind: "operation" | "schema" | "guide";
  title: string;
  text: string;
  url: string;
}

export interface SearchIndexInput {
  document: Record<string, any>;
  guides: Array<{ slug: string; title: string; text: string }>;
  basePath: string;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];
/** Long enough to carry a description's first sentences, short enough that 1,000 operations stay a few hundred KB. */
const TEXT_LIMIT = 240;
/** Guides have no summary; more of their body is worth matching on. */
const GUIDE_TEXT_LIMIT = 1000;

export function buildSearchIndex(input: SearchIndexInput): SearchEntry[] {
  const base = pageBase(input.basePath);
  return [
    ...operationEntries(input.document, base),
    ...schemaEntries(input.document, base),
    ...input.guides.map((guide) => ({
      kind: "guide" as const,
      title: guide.title,
      text: searchableText(guide.text, GUIDE_TEXT_LIMIT),
      url: `${base}guides/${encodeURIComponent(guide.slug)}.html`,
    })),
  ];
}

/** Absolute from the site root, so a result links correctly from any page depth. */
function pageBase(basePath: string): string {
  const trimmed = basePath.trim().replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

function operationEntries(document: Record<string, any>, base: string): SearchEntry[] {
  const entries: SearchEntry[] = [];
  for (const [path, item] of objectEntries(document.paths)) {
    for (const [method, operation] of methodEntries(item)) {
      // The compiler names an operation without an operationId the same way.
      const id = typeof operation.operationId === "string" ? operation.operationId : `${method.toUpperCase()} ${path}`;
      entries.push({
        kind: "operation",
        title: operationTitle(operation, id),
        // The method and path are in the text so a reader can search by URL.
        text: joinText(`${method.toUpperCase()} ${path}`, operation.description ?? "", TEXT_LIMIT),
        url: `${base}operations/${encodeURIComponent(id)}.html`,
      });
    }
  }
  for (const [name, item] of objectEntries(document.webhooks)) {
    const [method, operation] = methodEntries(item)[0] ?? ["post", {}];
    entries.push({
      kind: "operation",
      title: operationTitle(operation, name),
      text: joinText(`Webhook ${name} · ${method.toUpperCase()}`, operation.description ?? "", TEXT_LIMIT),
      url: `${base}webhooks/${encodeURIComponent(name)}.html`,
    });
  }
  return entries;
}

function schemaEntries(document: Record<string, any>, base: string): SearchEntry[] {
  return objectEntries(document.components?.schemas).map(([name, schema]) => ({
    kind: "schema" as const,
    title: name,
    text: searchableText([schema?.title, schema?.description].filter((part) => typeof part === "string").join(" · "), TEXT_LIMIT),
    url: `${base}schemas/${encodeURIComponent(name)}.html`,
  }));
}

function operationTitle(operation: Record<string, any>, fallback: string): string {
  const summary = typeof operation.summary === "string" ? operation.summary.trim() : "";
  return summary === "" ? fallback : summary;
}

function methodEntries(item: unknown): Array<[string, Record<string, any>]> {
  return objectEntries(item).filter(([key, value]) => HTTP_METHODS.includes(key) && typeof value === "object" && value !== null);
}

function objectEntries(value: unknown): Array<[string, any]> {
  return typeof value === "object" && value !== null ? Object.entries(value) : [];
}

function joinText(lead: string, description: unknown, limit: number): string {
  const rest = typeof description === "string" ? searchableText(description, limit) : "";
  return rest === "" ? lead : `${lead} · ${rest}`;
}

/** Markdown to one plain line: the index is matched and shown as text, never rendered. */
function searchableText(markdown: string, limit: number): string {
  const plain = markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, " ")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/[`*~]+/g, "")
    // Emphasis underscores only: snake_case names stay searchable as written.
    .replace(/(?<!\w)_+|_+(?!\w)/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (plain.length <= limit) return plain;
  const cut = plain.slice(0, limit);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:·-]+$/, "")}…`;
}
