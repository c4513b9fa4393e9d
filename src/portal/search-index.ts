/**
 * @module
 * The portal's search index, built once at build time so the browser only
 * filters a small JSON array: no search service, no network beyond the
 * portal's own origin. Entries carry a short text, not whole descriptions,
 * so the index of a spec with a thousand operations stays a single fast fetch.
 */

import { descriptionPlainText } from "./markdown.ts";
import { collectOperations, absoluteUrl, operationTitle, served, HTTP_METHODS, type SiteOperation } from "./site.ts";

export interface SearchEntry {
  kind: "operation" | "schema" | "guide";
  title: string;
  /** Matched below the title, id and path: a description's first sentences, a guide's start. */
  text: string;
  url: string;
  /** An operation's operationId (a webhook's name), ranked above everything but an exact title. */
  id?: string;
  method?: string;
  path?: string;
}

export interface SearchIndexInput {
  document: Record<string, any>;
  guides: Array<{ slug: string; title: string; text: string }>;
  basePath: string;
  /** The operations as the pages were written: each entry links the page of the same name. */
  operations?: SiteOperation[];
}

/** Long enough to carry a description's first sentences, short enough that 1,000 operations stay a few hundred KB. */
const TEXT_LIMIT = 240;
/** Guides have no summary; more of their body is worth matching on. */
const GUIDE_TEXT_LIMIT = 1000;

export function buildSearchIndex(input: SearchIndexInput): SearchEntry[] {
  const url = (path: string) => absoluteUrl(input.basePath, path);
  const operations = input.operations ?? collectOperations(input.document);
  return [
    ...operations.map((op) => ({
      kind: "operation" as const,
      title: op.label,
      text: descriptionOf(op.operation),
      url: url(served.operation(op.slug)),
      id: op.id,
      method: op.method.toUpperCase(),
      path: op.path,
    })),
    ...webhookEntries(input.document, url),
    ...schemaEntries(input.document, url),
    ...input.guides.map((guide) => ({
      kind: "guide" as const,
      title: guide.title,
      // Code blocks left out: a guide is found by what it says.
      text: cut(descriptionPlainText(guide.text.replace(/```[\s\S]*?```/g, " ")), GUIDE_TEXT_LIMIT),
      url: url(served.guide(guide.slug)),
    })),
  ];
}

/** The description as plain text; a summary of several paragraphs without one (OpenAI's) is the description. */
function descriptionOf(operation: Record<string, any>): string {
  const summary = typeof operation.summary === "string" ? operation.summary.trim() : "";
  const source =
    typeof operation.description === "string" && operation.description.trim() !== "" ? operation.description : /\n\s*\n/.test(summary) ? summary : "";
  return cut(descriptionPlainText(source), TEXT_LIMIT);
}

function webhookEntries(document: Record<string, any>, url: (path: string) => string): SearchEntry[] {
  return objectEntries(document.webhooks).map(([name, item]) => {
    const [method, operation] = methodEntries(item)[0] ?? ["post", {}];
    return {
      kind: "operation" as const,
      title: operationTitle(operation.summary) ?? `Webhook ${name}`,
      text: descriptionOf(operation),
      url: url(served.webhook(name)),
      id: name,
      method: method.toUpperCase(),
    };
  });
}

function schemaEntries(document: Record<string, any>, url: (path: string) => string): SearchEntry[] {
  return objectEntries(document.components?.schemas).map(([name, schema]) => ({
    kind: "schema" as const,
    title: name,
    text: cut([schema?.title, descriptionPlainText(schema?.description)].filter((part) => typeof part === "string" && part !== "").join(" · "), TEXT_LIMIT),
    url: url(served.schema(name)),
  }));
}

function methodEntries(item: unknown): Array<[string, Record<string, any>]> {
  return objectEntries(item).filter(([key, value]) => [...HTTP_METHODS, "query"].includes(key) && typeof value === "object" && value !== null);
}

function objectEntries(value: unknown): Array<[string, any]> {
  return typeof value === "object" && value !== null ? Object.entries(value) : [];
}

/** A line cut at a word past `limit` characters. */
function cut(plain: string, limit: number): string {
  if (plain.length <= limit) return plain;
  const cut = plain.slice(0, limit);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:·-]+$/, "")}…`;
}
