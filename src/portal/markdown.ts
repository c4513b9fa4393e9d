/**
 * @module
 * Descriptions from the document (operations, parameters, properties, tags,
 * security schemes) rendered as CommonMark with GitHub's extensions, by the
 * same `marked` the guides use. Inline HTML (Stripe writes `<p>` and `<a>`)
 * is kept through sanitize-html's allow-list; elements that act are shown as
 * text. Links go where description-links.ts says.
 */
import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";
import { resolveHref as resolveLink, startLinks } from "./description-links.ts";
import { escapeHtml } from "./html.ts";

let rendered = new Map<string, string>();

/**
 * Prepares the descriptions of one build: where their links go (see
 * description-links.ts). Returns the warnings to print when it is done.
 */
export function startDescriptions(linkBase: unknown, document: Record<string, any>): () => string[] {
  rendered = new Map();
  return startLinks(linkBase, document);
}

/** `up` of the page being written, for links to other pages; whether links stay links (not in a <summary>). */
let page = { up: "../", links: true };
/** hrefs the Markdown renderer made, which the HTML pass must not resolve again. */
const madeHere = new Set<string>();

function resolveHref(raw: string): string | undefined {
  return madeHere.has(raw.trim()) ? raw.trim() : resolveLink(raw, page.up);
}

const markdownLinks = new Marked({
  gfm: true,
  renderer: {
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      const href = page.links ? resolveHref(token.href) : undefined;
      if (href === undefined) return text;
      madeHere.add(href);
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
      return `<a href="${escapeHtml(href)}"${title}>${text}</a>`;
    },
    image(token: Tokens.Image) {
      const src = page.links ? resolveHref(token.href) : undefined;
      if (src === undefined || !/^https?:/.test(src)) return escapeHtml(token.text);
      return `<img src="${escapeHtml(src)}" alt="${escapeHtml(token.text)}" loading="lazy">`;
    },
  },
});

/** Raw HTML the sanitizer keeps; every other element is shown as text, except unknown ones (Stripe's `<currency>`), whose text stays. */
const ALLOWED_TAGS = [
  ...["p", "br", "hr", "a", "img", "span", "div", "strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr", "cite", "q"],
  ...["code", "kbd", "samp", "var", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"],
  ...["table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "details", "summary"],
];
const ALLOWED = new Set(ALLOWED_TAGS);
/** Elements that act (run, load, submit or replace the page): shown as text, never rendered and never unwrapped. */
const ACTIVE = new Set(
  "script style iframe frame frameset object embed applet form input button select option textarea link meta base svg math noscript template audio video source track canvas portal dialog".split(
    " ",
  ),
);

function linkTag(attribute: "href" | "src") {
  return (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    const href = attribs[attribute] === undefined ? undefined : page.links || attribute === "src" ? resolveHref(attribs[attribute]) : undefined;
    // A link without a working target keeps its text; an image without one, its alt text.
    if (href === undefined) return tagName === "a" ? { tagName: "span", attribs: {} } : { tagName: "span", attribs: {}, text: attribs.alt ?? "" };
    return { tagName, attribs: { ...attribs, [attribute]: href } };
  };
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ["href", "title"],
    img: ["src", "alt", "title", "width", "height", "loading"],
    th: ["align", "colspan", "rowspan", "scope"],
    td: ["align", "colspan", "rowspan"],
    ol: ["start"],
    abbr: ["title"],
    code: ["class"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    a: linkTag("href"),
    img: linkTag("src"),
    "*": (tagName, attribs) => (ALLOWED.has(tagName) || ACTIVE.has(tagName) ? { tagName, attribs } : { tagName: "span", attribs: {} }),
  },
};

/** In one line (a <summary>, a list item), without links, blocks and links are unwrapped and anything else not inline is dropped, its text kept. */
const INLINE_TAGS = "span strong b em i u s del ins mark small sub sup abbr cite q code kbd samp var br".split(" ");
const SANITIZE_INLINE: sanitizeHtml.IOptions = {
  ...SANITIZE,
  allowedTags: INLINE_TAGS,
  disallowedTagsMode: "discard",
  transformTags: {},
};

/** One line of text Markdown would leave as it is: most descriptions, rendered without the parser. */
const PLAIN = /^(?![#>+=-]|\d+[.)]\s)[^\n\\`*_[\]<>&~|]*$/;

/** A link its author left open at the very end (`[FinancialAccount](/docs/api/x`, in Stripe's document), closed. */
const OPEN_LINK_AT_END = /\[[^\]\n]+\]\([^()\s]+$/;

/** Two bold sentences written without a space between them (`**A.****B.**`, in DigitalOcean's): CommonMark reads neither. */
const GLUED_BOLD = /([.!?:])\*\*\*\*(?=[A-Z])/g;

/** Bold opened in the last line and never closed (`**This property is closing down.`, in GitHub's, 48 times). */
const OPEN_BOLD_AT_END = /\*\*(?=\S)(?![^\n]*\*\*)[^\n]*$/;

function render(source: string, inline: boolean): string {
  let text = source.trim().replace(GLUED_BOLD, "$1** **");
  if (OPEN_LINK_AT_END.test(text)) text += ")";
  if (OPEN_BOLD_AT_END.test(text) && (text.replace(/`[^`\n]*`/g, "").match(/\*\*/g)?.length ?? 0) % 2 === 1) text += "**";
  if (PLAIN.test(text) && !/:\/\/|www\.|@/.test(text)) return inline ? escapeHtml(text) : `<p>${escapeHtml(text)}</p>`;
  madeHere.clear();
  let raw = false;
  const options = { async: false as const, walkTokens: (token: Tokens.Generic) => void (raw ||= token.type === "html") };
  const html = inline ? markdownLinks.parseInline(text, options) : markdownLinks.parse(text, options);
  return raw ? sanitizeHtml(html, inline ? SANITIZE_INLINE : SANITIZE) : html;
}

function cached(source: unknown, up: string, inline: boolean, links: boolean): string {
  if (typeof source !== "string" || source.trim() === "") return "";
  const key = `${inline ? "i" : "b"}${links ? "l" : "t"}${up}\u0000${source}`;
  const hit = rendered.get(key);
  if (hit !== undefined) return hit;
  page = { up, links };
  const html = render(source, inline).trim();
  rendered.set(key, html);
  return html;
}

/**
 * A description as blocks of HTML, for a page `up` from the portal's base
 * path ("" for the home page, "../" one folder down).
 */
export function description(source: unknown, up = "../"): string {
  return cached(source, up, false, true);
}

/**
 * A description's first paragraph as inline HTML without links, for places
 * that are themselves a link or a toggle (a <summary>, a list of tags). Past
 * `maxChars` of text it is cut, as plain text, so no cut leaves a marker open.
 */
export function descriptionLine(source: unknown, maxChars = Infinity): string {
  const line = typeof source === "string" ? (source.trim().split(/\n\s*\n/)[0] ?? "").replace(/\s*\n\s*/g, " ") : "";
  const html = cached(line, "", true, false);
  if (maxChars === Infinity) return html;
  const text = textOf(html);
  return text.length > maxChars ? escapeHtml(`${text.slice(0, maxChars - 1).trimEnd()}…`) : html;
}

/** A description's first paragraph as plain text, for a page's <title> and meta description. */
export function descriptionText(source: unknown): string {
  return textOf(descriptionLine(source));
}

/** A whole description as one line of plain text, for the search index: what the page shows, without the markup. */
export function descriptionPlainText(source: unknown): string {
  // Blocks end with a space, so the words of two paragraphs or list items do not run together.
  const html = description(source, "").replace(/<\/(p|li|h[1-6]|pre|blockquote|td|th)>|<br\s*\/?>/g, " $&");
  return textOf(html).replace(/\s+/g, " ").trim();
}

function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[name] ?? "");
}
