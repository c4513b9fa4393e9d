/**
 * @module
 * Response examples that several operations show the same: GitHub's
 * description points many operations at one example (`issue`, ten times;
 * `full-repository`, six times, 26 kB each). The first operation's page, in
 * page order, shows it; the others link there, as a page already does for a
 * value it shows twice. Small values stay on every page: a link would weigh as much.
 */
import { escapeHtml } from "./html.ts";
import { shownExamples } from "./examples.ts";
import { examplesId, exampleText, type ExampleElsewhere } from "./example-blocks.ts";
import { resolve } from "./refs.ts";
import { exampleComponent } from "./shared-examples.ts";

/** From this length on (pretty JSON), a value shown on another operation's page is linked rather than repeated. */
const LINKED_FROM = 1_000;

interface Home {
  slug: string;
  /** "response 200 of Get a repository" */
  label: string;
  /** The id of the examples block that shows it on that page. */
  id: string;
}

/** `shared`: components whose example is on their own page (shared-examples.ts), which responses link already. */
export function exampleHomes(
  document: Record<string, any>,
  operations: Array<{ slug: string; label: string; operation: Record<string, any> }>,
  shared: ReadonlySet<string>,
): (slug: string) => ExampleElsewhere {
  const homes = new Map<string, Home>();
  const uses = new Map<string, number>();
  for (const { slug, label, operation } of operations) {
    const seen = new Set<string>();
    for (const [status, raw] of Object.entries(operation.responses ?? {})) {
      const response = resolve(document, raw as any) ?? {};
      for (const [mediaType, media] of Object.entries(response.content ?? {})) {
        const component = exampleComponent((media ?? {}) as Record<string, any>);
        if (component !== undefined && shared.has(component)) continue;
        for (const example of shownExamples(document, (media ?? {}) as Record<string, any>, mediaType, "response")) {
          const text = exampleText(example.value);
          if (text.length < LINKED_FROM || seen.has(text)) continue;
          seen.add(text);
          uses.set(text, (uses.get(text) ?? 0) + 1);
          if (!homes.has(text)) homes.set(text, { slug, label: `response ${status} of ${label}`, id: examplesId(`response-${status}-${mediaType}`) });
        }
      }
    }
  }
  return (slug) => (text) => {
    const home = homes.get(text);
    if (!home || home.slug === slug || (uses.get(text) ?? 0) < 2) return undefined;
    return `<p class="muted">The same as the example of <a href="${escapeHtml(home.slug)}#${escapeHtml(home.id)}">${escapeHtml(home.label)}</a>.</p>`;
  };
}
