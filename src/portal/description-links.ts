/**
 * @module
 * Where the links of a document's descriptions go. Its authors wrote relative
 * links (`/docs/guides/x`) for their own documentation site, which the
 * document does not name; inside the portal, which serves /docs too, they
 * would 404. Each is resolved against the link base: portal.config's
 * `linkBase`, else the document's externalDocs (a documentation site, most
 * often), else its first server's origin. Without any, the link is shown as
 * text and counted for the build's warning. Redoc-style references to the
 * document's own parts (`#operation/createPet`, `#tag/pets`,
 * `#/components/schemas/Pet`) link the portal's pages.
 */
import { collectOperations, groupsOf, hrefTo, served } from "./site.ts";

interface LinkState {
  /** An absolute http(s) URL, or undefined when there is none to use. */
  base: string | undefined;
  from: "linkBase" | "externalDocs" | "servers" | "none";
  /** Portal pages a Redoc-style fragment may name: a path from the base path. */
  pages: Map<string, string>;
  /** Links shown as text for want of a base. */
  unresolved: number;
  /** Links resolved against a base the document implied rather than portal.config's. */
  implied: number;
}

let state: LinkState = { base: undefined, from: "none", pages: new Map(), unresolved: 0, implied: 0 };

/**
 * Sets where the links of one build's descriptions go. Returns what to warn
 * of when it is done: a linkBase that is not a URL, links that needed a base
 * they lacked, or links sent to a base the document only implied.
 */
export function startLinks(linkBase: unknown, document: Record<string, any>): () => string[] {
  state = { ...baseOfLinks(linkBase, document), pages: portalPages(document), unresolved: 0, implied: 0 };
  const warnings: string[] = [];
  if (linkBase !== undefined && state.from !== "linkBase") {
    warnings.push(
      `linkBase in portal/portal.config must be an absolute http(s) URL such as https://example.com/docs/; ${JSON.stringify(linkBase)} is ignored.`,
    );
  }
  return () => {
    if (state.unresolved > 0) {
      warnings.push(
        `${state.unresolved} relative link(s) in the document's descriptions have no base to resolve against, so they are shown as text. Set linkBase in portal/portal.config to the site they belong to (docs/portal.md).`,
      );
    } else if (state.implied > 0) {
      const where = state.from === "externalDocs" ? "its externalDocs" : "its first server's origin";
      warnings.push(
        `${state.implied} relative link(s) in the document's descriptions were resolved against ${state.base} (${where}). If they belong to another site, set linkBase in portal/portal.config (docs/portal.md).`,
      );
    }
    return warnings;
  };
}

function baseOfLinks(linkBase: unknown, document: Record<string, any>): Pick<LinkState, "base" | "from"> {
  const configured = absolute(linkBase);
  if (configured) return { base: configured, from: "linkBase" };
  const docs = absolute(document.externalDocs?.url);
  if (docs) return { base: docs, from: "externalDocs" };
  const server = document.servers?.[0];
  if (typeof server?.url === "string") {
    const url = absolute(server.url.replace(/\{([^}]+)\}/g, (_: string, name: string) => String(server.variables?.[name]?.default ?? name)));
    if (url) return { base: `${new URL(url).origin}/`, from: "servers" };
  }
  return { base: undefined, from: "none" };
}

function absolute(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Where a Redoc-style fragment points in the portal, if at one of its pages. */
function portalPages(document: Record<string, any>): Map<string, string> {
  const pages = new Map<string, string>();
  for (const name of Object.keys(document.components?.schemas ?? {})) {
    pages.set(`#/components/schemas/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`, served.schema(name));
    pages.set(`#schema/${name}`, served.schema(name));
  }
  const operations = collectOperations(document);
  for (const op of operations) if (typeof op.operation.operationId === "string") pages.set(`#operation/${op.operation.operationId}`, served.operation(op.slug));
  for (const group of groupsOf(document, operations)) pages.set(`#tag/${group.name}`, served.group(group.slug));
  return pages;
}

/** An href as the portal writes it on a page `up` from its base path, or undefined when it cannot be a working link. */
export function resolveHref(raw: string, up: string): string | undefined {
  const href = raw.trim();
  if (!href) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  if (scheme) return scheme === "http" || scheme === "https" || scheme === "mailto" ? href : undefined;
  if (href.startsWith("#")) {
    let fragment = href;
    try {
      fragment = decodeURIComponent(href);
    } catch {
      // Kept as written.
    }
    const internal = state.pages.get(fragment);
    if (internal) return hrefTo(up, internal);
  }
  if (!state.base) {
    state.unresolved += 1;
    return undefined;
  }
  if (state.from !== "linkBase") state.implied += 1;
  try {
    return new URL(href.startsWith("//") ? `https:${href}` : href, state.base).href;
  } catch {
    return undefined;
  }
}
