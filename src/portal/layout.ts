/**
 * @module
 * The frame of every page: header with search and the theme switch, the
 * sidebar, the content. Wide screens show the sidebar beside the content
 * (an operation's content in two columns, its samples beside its reference);
 * phones one column, the sidebar folded into a menu. portal.css does the rest.
 */
import { escapeHtml } from "./html.ts";
import { navigation, type NavModel } from "./navigation.ts";
import { hrefTo, served } from "./site.ts";

export interface Layout {
  siteTitle: string;
  basePath: string;
  /** The logo's name under assets/, if any. */
  logo?: string;
  nav: NavModel;
  /** Original name of each asset → the hashed name it is served under. */
  assets: Map<string, string>;
}

export interface PageInput {
  title: string;
  /** The relative way back to the base path: "" on a page at its root, "../" one folder down. */
  up: string;
  /** Where the page is served, from the base path (`served.*`): the sidebar marks its link. */
  path?: string;
  /** The slug of the tag the page belongs to, whose operations the sidebar lists. */
  group?: string;
  body: string;
  description?: string;
  /** Scripts beyond theme and search, by original name (an operation page's try-it.js). */
  scripts?: string[];
}

export function page(layout: Layout, input: PageInput): string {
  const { up } = input;
  const asset = (name: string) => escapeHtml(`${up}assets/${layout.assets.get(name) ?? name}`);
  const home = escapeHtml(hrefTo(up, served.home));
  const logo = layout.logo ? `<img src="${asset(layout.logo)}" alt="" height="28">` : "";
  const scripts = ["search.js", ...(input.scripts ?? [])].map((name) => `<script defer src="${asset(name)}"></script>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} · ${escapeHtml(layout.siteTitle)}</title>
${input.description ? `<meta name="description" content="${escapeHtml(input.description.slice(0, 200))}">\n` : ""}<link rel="stylesheet" href="${asset("portal.css")}">
<script src="${asset("theme.js")}"></script>
${scripts}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
<a class="brand" href="${home}">${logo}<span>${escapeHtml(layout.siteTitle)}</span></a>
<form class="search" role="search" data-search action="${home}"><input type="search" name="q" aria-label="Search" placeholder="Search" autocomplete="off"><ul data-search-results aria-label="Search results"></ul></form>
<button type="button" data-theme-toggle aria-pressed="false">Dark mode</button>
</header>
<div class="layout">
${navigation(layout.nav, up, input.path, input.group)}
<main id="main">
${input.body}
</main>
</div>
</body>
</html>
`;
}
