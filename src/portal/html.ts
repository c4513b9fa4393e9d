/**
 * @module
 * HTML building blocks of the portal. Everything taken from the document is
 * user data, so every string goes through `escapeHtml` on its way out.
 */
import { marked } from "marked";

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** File names from operationIds, schema names and tags, which may hold any character. */
export function slugOf(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "item";
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

export interface NavGuide {
  slug: string;
  title: string;
  group?: string;
}

export interface Layout {
  siteTitle: string;
  logo?: string;
  basePath: string;
  tags: string[];
  guides: NavGuide[];
  hasWebhooks: boolean;
}

/** `up` is the relative way back to basePath from the page: "" at the home page, "../" one folder down. */
export function page(layout: Layout, input: { title: string; up: string; body: string; description?: string }): string {
  const { up } = input;
  const nav = navigation(layout, up);
  const logo = layout.logo ? `<img src="${up}assets/${escapeHtml(layout.logo)}" alt="" height="28">` : "";
  return `<!doctype html>
<html lang="en" data-theme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} · ${escapeHtml(layout.siteTitle)}</title>
${input.description ? `<meta name="description" content="${escapeHtml(input.description.slice(0, 200))}">` : ""}
<link rel="stylesheet" href="${up}assets/portal.css">
<script src="${up}assets/theme.js"></script>
<script defer src="${up}assets/search.js"></script>
<script defer src="${up}assets/try-it.js"></script>
</head>
<body data-base-path="${escapeHtml(layout.basePath)}">
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
<a class="brand" href="${up}index.html">${logo}<span>${escapeHtml(layout.siteTitle)}</span></a>
<div class="search">
<form role="search" data-search action="${up}index.html"><input type="search" name="q" aria-label="Search" placeholder="Search operations, schemas, guides"></form>
<ul data-search-results></ul>
</div>
<button type="button" data-theme-toggle aria-pressed="false">Dark mode</button>
</header>
<div class="layout">
${nav}
<main id="main">
${input.body}
</main>
</div>
</body>
</html>
`;
}

/** Tags the navigation lists on every page; an API with more is listed by tag on the home page alone (GitHub's has 47). */
const NAV_TAGS_UP_TO = 24;

function navigation(layout: Layout, up: string): string {
  const guides = groupGuides(layout.guides)
    .map(([group, items]) => {
      const links = items.map((guide) => `<li><a href="${up}guides/${escapeHtml(slugOf(guide.slug))}.html">${escapeHtml(guide.title)}</a></li>`).join("");
      return group ? `<li><span class="nav-group">${escapeHtml(group)}</span><ul>${links}</ul></li>` : links;
    })
    .join("");
  const tags = layout.tags.map((tag) => `<li><a href="${up}tags/${escapeHtml(slugOf(tag))}.html">${escapeHtml(tag)}</a></li>`).join("");
  // Past NAV_TAGS_UP_TO tags the list is the home page's: on every page it would weigh more than most pages' content.
  const operations =
    layout.tags.length > NAV_TAGS_UP_TO
      ? `<li><a href="${up}index.html#sections">Operations by tag</a></li>`
      : tags
        ? `<li><span class="nav-group">Operations</span><ul>${tags}</ul></li>`
        : "";
  return `<nav class="site-nav" aria-label="Sections">
<ul>
<li><a href="${up}index.html">Overview</a></li>
${guides ? `<li><span class="nav-group">Guides</span><ul>${guides}</ul></li>` : ""}
${operations}
<li><a href="${up}schemas/index.html">Schemas</a></li>
${layout.hasWebhooks ? `<li><a href="${up}webhooks/index.html">Webhooks</a></li>` : ""}
</ul>
</nav>`;
}

function groupGuides(guides: NavGuide[]): Array<[string | undefined, NavGuide[]]> {
  const groups = new Map<string | undefined, NavGuide[]>();
  for (const guide of guides) {
    const list = groups.get(guide.group) ?? [];
    list.push(guide);
    groups.set(guide.group, list);
  }
  return [...groups.entries()];
}
