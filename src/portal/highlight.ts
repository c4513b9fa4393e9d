/**
 * @module
 * Syntax highlighting done once, at build time: pages ship coloured spans and
 * no highlighter script. Only the four grammars the portal shows are loaded.
 */
import { createRequire } from "node:module";
import { escapeHtml } from "./html.ts";

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

/** The inner HTML of a `<code>` element; highlight.js escapes every character of `code` it emits. */
export function highlightCode(code: string, language: CodeLanguage): string {
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return escapeHtml(code);
  }
}

/** A `<pre><code>` block, highlighted. */
export function codeBlock(code: string, language: CodeLanguage): string {
  return `<pre><code class="hljs language-${language}">${highlightCode(code, language)}</code></pre>`;
}
