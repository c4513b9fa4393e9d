/**
 * @module
 * A tag's samples page, for a large API: the languages past the first three
 * of each of the tag's operations (Go, Java, C#, PHP, Ruby), which its
 * operation pages link instead of carrying. Five languages on each of
 * GitHub's 1,223 pages would weigh 3 MB; here each is written once, as plain
 * text a reader without JavaScript reads, and the operation page's script
 * fetches the section it needs when its samples are opened (client/samples.js).
 */
import { escapeHtml } from "./html.ts";
import type { Sample } from "./code-samples.ts";

/** From this many operations on, an operation page links its later samples rather than carrying them. */
export const LATER_SAMPLES_FROM = 400;

export interface TagSamples {
  /** The operation's page name: its section's id here. */
  slug: string;
  label: string;
  samples: Sample[];
}

/** Where an operation page links its later samples: its section of the tag's samples page. */
export function laterSamplesHref(up: string, tagSlug: string, operationSlug: string): string {
  return `${up}samples/${tagSlug}#${operationSlug}`;
}

/** The page's body: a section per operation, a heading and a <pre> per language (the script rebuilds them as tabs). */
export function samplesPageBody(tag: string, operations: TagSamples[]): string {
  const sections = operations.map(({ slug, label, samples }) => {
    const code = samples
      .map((sample) => `<h3>${escapeHtml(sample.label)}</h3><pre><code>${sample.code.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</code></pre>`)
      .join("");
    return `<section id="${escapeHtml(slug)}" data-samples><h2><a href="../operations/${escapeHtml(slug)}">${escapeHtml(label)}</a></h2>${code}</section>`;
  });
  return `<h1>Code samples: ${escapeHtml(tag)}</h1><p class="muted">Curl, JavaScript and Python are on each operation's page.</p>${sections.join("\n")}`;
}
