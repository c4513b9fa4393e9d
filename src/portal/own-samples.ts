/**
 * @module
 * The document's own code samples (`x-codeSamples`), read with their labels
 * and languages, and the grammar each is highlighted with when the portal
 * loads one for its language.
 */
import type { CodeLanguage } from "./highlight.ts";
import { resolve } from "./refs.ts";

/** The languages of `x-codeSamples` the portal highlights, by the names documents give them. */
const HIGHLIGHTED: Record<string, CodeLanguage> = {
  curl: "bash",
  shell: "bash",
  bash: "bash",
  sh: "bash",
  javascript: "javascript",
  js: "javascript",
  node: "javascript",
  "node.js": "javascript",
  typescript: "javascript",
  python: "python",
  json: "json",
};

/** The document's own samples: `x-codeSamples` (Redocly), or `x-code-samples` as older documents spell it. */
export function ownSamples(
  document: Record<string, any>,
  operation: Record<string, any>,
): Array<{ label: string; lang: string; source: string; highlight?: CodeLanguage }> {
  const list = resolve(document, operation["x-codeSamples"] ?? operation["x-code-samples"]);
  if (!Array.isArray(list)) return [];
  return list
    .map((raw) => resolve(document, raw))
    .filter((sample): sample is Record<string, any> => typeof sample?.source === "string" && sample.source.trim() !== "")
    .map((sample) => {
      const lang = String(sample.lang ?? "");
      return { label: String(sample.label ?? lang) || "Sample", lang, source: sample.source, highlight: HIGHLIGHTED[lang.toLowerCase()] };
    });
}
