/**
 * @module
 * A response example many operations would each show the same: a response
 * whose content is a component schema, with no example of its own, gets the
 * component's example, so Stripe's 468 operations would carry one error
 * example 468 times (4 kB each). The component's page shows it once, and the
 * operations link there.
 */
import { escapeHtml, slugOf } from "./html.ts";
import { resolve } from "./refs.ts";
import { refName } from "./refs.ts";

/** From this many operations on, a component's response example moves to its page. */
const SHARED_FROM = 3;
const COMPONENT = "#/components/schemas/";

/** The component a response's media shows the example of, when nothing of the media's own says otherwise. */
export function exampleComponent(media: Record<string, any>): string | undefined {
  const ref = media?.schema?.$ref;
  if (typeof ref !== "string" || !ref.startsWith(COMPONENT) || media.example !== undefined || media.examples !== undefined) return undefined;
  return refName(ref);
}

/** The components whose example at least SHARED_FROM operations' responses would show. */
export function sharedExampleComponents(document: Record<string, any>, operations: Array<{ operation: Record<string, any> }>): Set<string> {
  const counts = new Map<string, number>();
  for (const { operation } of operations) {
    const names = new Set<string>();
    for (const raw of Object.values(operation.responses ?? {})) {
      const response = resolve(document, raw as any) ?? {};
      for (const media of Object.values(response.content ?? {})) {
        const name = exampleComponent(media as Record<string, any>);
        if (name !== undefined) names.add(name);
      }
    }
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, count]) => count >= SHARED_FROM).map(([name]) => name));
}

/** What a response shows in place of a shared example: where to read it. */
export function sharedExampleLink(name: string, up: string): string {
  return `<p class="shared-example">The example of <a href="${up}schemas/${escapeHtml(slugOf(name))}.html#example">${escapeHtml(name)}</a>, which many operations answer with, is on its page.</p>`;
}
