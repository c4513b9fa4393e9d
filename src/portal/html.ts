/**
 * @module
 * HTML building blocks of the portal. Everything taken from the document is
 * user data, so every string goes through `escapeHtml` on its way out. The
 * frame of a page is layout.ts's.
 */
import { marked } from "marked";
import { escapeHtml } from "../runtime/escape-html.ts";

export { escapeHtml };

/**
 * Text for an element's content, never an attribute: `&`, `<` and `>` escaped, quotes as typed
 * (GitHub's schema facts quote 30,000 JSON strings, at 6 bytes a `&quot;`).
 */
export function escapeText(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

/**
 * Page names from operationIds, schema names and tags, which may hold any character: pages, the
 * links to them and search results all name a page by this. `index` would be a folder's own
 * page, and `404` the portal's not-found page.
 */
export function slugOf(name: string): string {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "item";
  return /^(index|404)$/i.test(slug) ? `${slug}_` : slug;
}

/**
 * Markdown from the document is rendered, but raw HTML inside it is shown as
 * text: a description is data, and it must never inject markup or scripts.
 */
const safeMarked = marked.use({
  renderer: {
    html(token) {
      return escapeHtml(token.text);
    },
  },
});

export function markdown(source: unknown): string {
  if (typeof source !== "string" || source.trim() === "") return "";
  const rendered = safeMarked.parse(source, { async: false }) as string;
  // Links keep http(s), mailto and relative targets only; `javascript:` is neutralised.
  return rendered.replace(/href="\s*(?:javascript|data|vbscript):[^"]*"/gi, 'href="#"');
}

export function methodBadge(method: string): string {
  const lower = method.toLowerCase();
  return `<span class="method method-${escapeHtml(lower)}">${escapeHtml(method.toUpperCase())}</span>`;
}
