/**
 * @module
 * A media type's examples as the page shows them: every one rendered, so all
 * read without JavaScript, with a select the script uses to show one at a
 * time. A value the page already shows is not repeated: the block says where it is.
 */
import { escapeHtml } from "./html.ts";
import { codeBlock } from "./highlight.ts";
import { shownExamples } from "./examples.ts";

/** Each example's text already on the page, and where it is ("response 200"). */
export type ShownExamples = Map<string, string>;

/** A component's example as a response shows it, for its own page, which responses sharing it link (shared-examples.ts). */
export function componentExamples(document: Record<string, any>, name: string): string {
  const media = { schema: { $ref: `#/components/schemas/${name.replaceAll("~", "~0").replaceAll("/", "~1")}` } };
  return examplesBlock(shownExamples(document, media, "application/json", "response"), "component", new Map(), "");
}

/** The link an operation's page shows for an example text another page shows, if one does (example-homes.ts). */
export type ExampleElsewhere = (text: string) => string | undefined;

/** The id of a media type's examples block. */
export function examplesId(idPrefix: string): string {
  return `${idPrefix.replace(/[^A-Za-z0-9_-]/g, "-")}-examples`;
}

/** A string example is shown as written (it may be XML or plain text); anything else is JSON. */
export function exampleText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** `elsewhere`: the link to another operation's page that shows a value, in place of the value (example-homes.ts). */
export function examplesBlock(
  examples: Array<{ name: string; summary?: string; value: unknown }>,
  idPrefix: string,
  shown: ShownExamples,
  label: string,
  elsewhere?: ExampleElsewhere,
): string {
  if (!examples.length) return "";
  const id = examplesId(idPrefix);
  const options = examples.map((example, index) => `<option value="${index}">${escapeHtml(example.summary ?? example.name)}</option>`).join("");
  const select =
    examples.length > 1 ? `<label>Example <select data-example-select aria-controls="${escapeHtml(id)}">${options}</select></label>` : `<p>Example</p>`;
  const blocks = examples
    .map((example, index) => {
      const text = exampleText(example.value);
      const before = shown.get(text);
      const linked = before === undefined ? elsewhere?.(text) : undefined;
      if (before === undefined) shown.set(text, label);
      const code =
        before !== undefined
          ? `<p class="muted">The same as the example of ${escapeHtml(before)}.</p>`
          : linked !== undefined
            ? linked
            : typeof example.value === "string"
              ? `<pre><code>${escapeHtml(example.value)}</code></pre>`
              : codeBlock(text, "json");
      return `<figure data-example="${index}"><figcaption>${escapeHtml(example.summary ?? example.name)}</figcaption>${code}</figure>`;
    })
    .join("");
  return `<div class="examples" data-examples id="${escapeHtml(id)}">${select}${blocks}</div>`;
}
