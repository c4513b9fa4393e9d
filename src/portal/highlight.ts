/**
 * @module
 * Syntax highlighting done once, at build time: pages ship coloured spans and
 * no highlighter script. Only the four grammars the portal shows are loaded.
 */
import { createRequire } from "node:module";

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
 * The inner HTML of a `<code>` element; highlight.js escapes every character of `code` it emits.
 * Its spans that no style colours (punctuation) are left out, and quotes stay as typed: this is
 * text, never an attribute, so `&` and `<` are all that need escaping.
 */
export function highlightCode(code: string, language: CodeLanguage): string {
  if (code.length > HIGHLIGHT_UP_TO) return escapeText(code);
  try {
    return hljs
      .highlight(code, { language, ignoreIllegals: true })
      .value.replace(/<span class="hljs-punctuation">([^<]*)<\/span>/g, "$1")
      .replaceAll("&quot;", '"')
      .replaceAll("&#x27;", "'");
  } catch {
    return escapeText(code);
  }
}

/** Text for an element's content: `&`, `<` and `>` escaped, quotes as typed. */
function escapeText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** A `<pre><code>` block, highlighted. */
export function codeBlock(code: string, language: CodeLanguage): string {
  return `<pre><code class="hljs language-${language}">${highlightCode(code, language)}</code></pre>`;
}
