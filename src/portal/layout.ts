/**
 * @module
 * The frame of every page: header with search and the theme switch (theme.js adds it), the
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
  /** Developers sign in for keys (portal.config `auth`): the header links the "My keys" page. */
  signIn?: boolean;
  /** Where the MCP server's page is (x-portico.mcp), when the API has one: the header links it. */
  mcpPage?: string;
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
<form class="search" role="search" data-search action="${home}"><input type="search" name="q" aria-label="Search" placeholder="Search" autocomplete="off"></form>
${layout.mcpPage ? headerLink(up, layout.mcpPage, "MCP server", input.path) : ""}${layout.signIn ? accountLink(up, input.path) : ""}</header>
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

/**
 * The way to one's keys. A static page cannot tell whether its reader is signed in, so it offers to
 * sign in: the Worker's `keys` page asks a reader without a session to, and shows the others their keys.
 */
function accountLink(up: string, path: string | undefined): string {
  const href = escapeHtml(hrefTo(up, served.keys));
  return path === served.keys ? `<a class="account" href="${href}" aria-current="page">My keys</a>\n` : `<a class="account" href="${href}">Sign in</a>\n`;
}

/** A header link to one of the portal's own pages, marked when it is the page shown. */
function headerLink(up: string, path: string, label: string, current: string | undefined): string {
  const href = escapeHtml(hrefTo(up, path));
  return `<a class="account" href="${href}"${path === current ? ' aria-current="page"' : ""}>${escapeHtml(label)}</a>\n`;
}
