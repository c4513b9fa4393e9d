/**
 * @module
 * Syntax highlighting done once, at build time: pages ship coloured spans and
 * no highlighter script. Only the four grammars the portal shows are loaded.
 */
import { createRequire } from "node:module";
import { escapeText } from "./html.ts";

// Loaded without its type declarations: they pull the DOM library into the
// whole program, whose BufferSource and SubtleCrypto then clash with workerd's.
interface Highlighter {
  registerLanguage(name: string, language: unknown): void;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
}
const require = createRequire(import.meta.url);
const hljs = require("highlight.js/lib/core") as Highlighter;
const grammar = (name: string) => require(`highlight.js/lib/languages/${name}`) as unknown;

export type CodeLanguage = "bash" | "javascript" | "json" | "python";

for (const name of ["bash", "javascript", "json", "python"]) hljs.registerLanguage(name, grammar(name));

/**
 * From this length on, code is shown as text, uncoloured: a large example's spans would double its
 * bytes on every page that shows it (GitHub's description has hundreds of examples over 2 kB).
 */
const HIGHLIGHT_UP_TO = 2_000;

/**
 * The short class each highlight.js scope portal.css colours is shipped as, by the colour it takes
 * (as Pygments names its tokens `s`, `k`, `n`): GitHub's portal carries 35,000 coloured tokens,
 * whose `hljs-string`-like names alone weighed 360 kB. A scope not here (punctuation, params) is
 * coloured by nothing, and its span is left out.
 */
const TOKEN_CLASSES = new Map<string, string>([
  ["keyword", "k"],
  ["doctag", "k"],
  ["string", "s"],
  ["regexp", "s"],
  ["number", "n"],
  ["literal", "n"],
  ["variable", "n"],
  ["template-variable", "n"],
  ["property", "n"],
  ["symbol", "n"],
  ["attr", "a"],
  ["attribute", "a"],
  ["title", "t"],
  ["section", "t"],
  ["name", "t"],
  ["built_in", "b"],
  ["type", "b"],
  ["selector-class", "b"],
  ["comment", "c"],
  ["quote", "q"],
  ["meta", "m"],
  ["subst", "i"],
]);

/**
 * The inner HTML of a `<code>` element; highlight.js escapes every character of `code` it emits.
 * Its spans get their short class (TOKEN_CLASSES) or go, and quotes stay as typed: this is text,
 * never an attribute, so `&` and `<` are all that need escaping.
 */
export function highlightCode(code: string, language: CodeLanguage): string {
  if (code.length > HIGHLIGHT_UP_TO) return escapeText(code);
  try {
    return shortTokens(hljs.highlight(code, { language, ignoreIllegals: true }).value)
      .replaceAll("&quot;", '"')
      .replaceAll("&#x27;", "'");
  } catch {
    return escapeText(code);
  }
}

/** highlight.js's spans renamed by TOKEN_CLASSES, those of no colour unwrapped (spans nest: a stack says which close). */
function shortTokens(html: string): string {
  const kept: boolean[] = [];
  return html.replace(/<span class="([^"]*)">|<\/span>/g, (tag, classes: string | undefined) => {
    if (classes === undefined) return kept.pop() ? tag : "";
    // "hljs-title function_" is a title; "language-xml" (a grammar inside another) no colour.
    const short = TOKEN_CLASSES.get(/^hljs-([^ ]+)/.exec(classes)?.[1] ?? "");
    kept.push(short !== undefined);
    return short === undefined ? "" : `<span class="${short}">`;
  });
}

/** A `<pre><code>` block, highlighted. */
export function codeBlock(code: string, language: CodeLanguage): string {
  return `<pre><code class="hljs language-${language}">${highlightCode(code, language)}</code></pre>`;
}
