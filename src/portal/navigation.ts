/**
 * @module
 * The sidebar: overview, guides, the operations by tag, schemas, webhooks.
 * Every page lists every tag; the tag of the page being read is open, with
 * its operations, and the page itself is marked (aria-current="page"). The
 * other tags are links to their pages: listing every operation on every page
 * would make the nav of a 1,000-operation API weigh more than the pages.
 * Past TAGS_LISTED_UP_TO tags the open one lists the page's own operation
 * only; search.js fills in the others from the tag's page once it has loaded
 * (each listed on each of GitHub's 1,223 pages cost 130 kB), and without
 * JavaScript the tag's link leads to them.
 * On a phone the list folds into a <details> "Menu", which needs no script.
 */
import { escapeHtml } from "./html.ts";
import { hrefTo, served, type SiteGroup } from "./site.ts";

export interface NavGuide {
  slug: string;
  title: string;
  group?: string;
}

export interface NavModel {
  groups: SiteGroup[];
  guides: NavGuide[];
  hasWebhooks: boolean;
}

/** Past this many tags, only the open one is listed, and the home page lists them all (GitHub's has 47). */
const TAGS_LISTED_UP_TO = 24;
/** The open tag's operations listed around the page's own, in an API of fewer tags. */
const OPERATIONS_AROUND = 20;

/** `current`: the page's served path; `group`: the slug of the tag it belongs to, if any. */
export function navigation(model: NavModel, up: string, current: string | undefined, group?: string): string {
  // A page beside the current one in its folder is linked by its name alone (every operation page lists its tag's).
  const folder = (path: string) => path.slice(0, path.lastIndexOf("/") + 1);
  const sibling = (path: string) => up === "../" && current !== undefined && folder(path) !== "" && folder(path) === folder(current) && !path.endsWith("/");
  const link = (path: string, text: string, attributes = "") =>
    `<a href="${escapeHtml(sibling(path) ? path.slice(folder(path).length) : hrefTo(up, path))}"${attributes}${path === current ? ' aria-current="page"' : ""}>${text}</a>`;
  const guides = groupGuides(model.guides)
    .map(([name, items]) => {
      const links = items.map((guide) => `<li>${link(served.guide(guide.slug), escapeHtml(guide.title))}</li>`).join("");
      return name ? `<li><span class="nav-group">${escapeHtml(name)}</span><ul>${links}</ul></li>` : links;
    })
    .join("");
  const many = model.groups.length > TAGS_LISTED_UP_TO;
  const groups = model.groups
    .filter((item) => !many || item.slug === group)
    .map((item) => {
      const head = link(served.group(item.slug), escapeHtml(item.name));
      if (item.slug !== group) return `<li>${head}</li>`;
      const listed = many ? item.operations.filter((op) => served.operation(op.slug) === current) : around(item.operations, current);
      if (!listed.length) return `<li class="open">${head}</li>`;
      const operations = listed
        .map((op) => `<li>${link(served.operation(op.slug), escapeHtml(op.title ?? op.path), ` class="op ${escapeHtml(op.method)}"`)}</li>`)
        .join("");
      // The list search.js completes from the tag's page.
      const cut = listed.length < item.operations.length ? " data-tag-operations" : "";
      return `<li class="open">${head}<ul${cut}>${operations}</ul></li>`;
    })
    .join("");
  const allTags = many ? `<li><a href="${escapeHtml(hrefTo(up, served.home))}#sections">All ${model.groups.length} tags</a></li>` : "";
  const items = [
    link(served.home, "Overview"),
    guides ? `<span class="nav-group">Guides</span><ul>${guides}</ul>` : "",
    groups || allTags ? `<span class="nav-group">Operations</span><ul>${groups}${allTags}</ul>` : "",
    link(served.schemas, "Schemas"),
    model.hasWebhooks ? link(served.webhooks, "Webhooks") : "",
  ];
  return `<nav class="site-nav" aria-label="Sections"><details class="menu"><summary>Menu</summary><ul>
${items
  .filter(Boolean)
  .map((item) => `<li>${item}</li>`)
  .join("\n")}
</ul></details></nav>`;
}

/** A long list cut to the operations around the current page's. */
function around<T extends { slug: string }>(operations: T[], current: string | undefined): T[] {
  if (operations.length <= OPERATIONS_AROUND) return operations;
  const at = Math.max(
    0,
    operations.findIndex((op) => served.operation(op.slug) === current),
  );
  const start = Math.min(Math.max(0, at - OPERATIONS_AROUND / 2), operations.length - OPERATIONS_AROUND);
  return operations.slice(start, start + OPERATIONS_AROUND);
}

function groupGuides(guides: NavGuide[]): Array<[string | undefined, NavGuide[]]> {
  const groups = new Map<string | undefined, NavGuide[]>();
  for (const guide of guides) groups.set(guide.group, [...(groups.get(guide.group) ?? []), guide]);
  return [...groups.entries()];
}
