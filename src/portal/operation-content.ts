/**
 * @module
 * What an operation takes and answers: its request body and responses, each
 * media type's schema as a tree, and their examples. A response's examples
 * go apart from its tree, since the page shows them beside the reference.
 */
import { escapeHtml } from "./html.ts";
import { description, descriptionLine } from "./markdown.ts";
import { shownExamples } from "./examples.ts";
import { examplesBlock, type ExampleElsewhere, type ShownExamples } from "./example-blocks.ts";
import { resolve } from "./refs.ts";
import { schemaTree, typeText } from "./schema-tree.ts";
import { exampleComponent, sharedExampleLink } from "./shared-examples.ts";

export function requestBodySection(document: Record<string, any>, operation: Record<string, any>, up: string): string {
  const body = resolve(document, operation.requestBody);
  if (!body?.content) return "";
  return `<section aria-labelledby="request-body"><h2 id="request-body">Request body${body.required ? ` <span class="required">required</span>` : ""}</h2>${description(body.description, up)}${contentBlocks(document, body.content, up, "request")}</section>`;
}

/**
 * The responses' trees, and apart from them their examples, which the page shows beside the trees.
 * `shared`: components whose example is on their page; `elsewhere`: values another operation's page shows.
 */
export function responsesSection(
  document: Record<string, any>,
  operation: Record<string, any>,
  up: string,
  shared: ReadonlySet<string> = new Set(),
  elsewhere?: ExampleElsewhere,
): { tree: string; examples: string } {
  const responses = Object.entries(operation.responses ?? {});
  if (!responses.length) return { tree: "", examples: "" };
  // Responses showing one shared component's example (GitHub's 301, 403, 404 all answer basic-error) share one entry.
  const examples: Array<{ statuses: string[]; mediaType: string; shown: string; component?: string }> = [];
  // An example shown for one response is not repeated for the next (GitHub's repeat theirs, 140 kB at a time).
  const shown: ShownExamples = new Map();
  const blocks = responses.map(([status, raw]) => {
    const response = resolve(document, raw as any) ?? {};
    const headers = Object.entries(response.headers ?? {})
      .map(([name, header]) => {
        const value = resolve(document, header as any) ?? {};
        return `<li><code>${escapeHtml(name)}</code> ${escapeHtml(typeText(resolve(document, value.schema ?? {}), document))} ${description(value.description, up)}</li>`;
      })
      .join("");
    const aside = (block: string, mediaType: string, media: Record<string, any>) => {
      const named = exampleComponent(media);
      const component = named !== undefined && shared.has(named) ? named : undefined;
      const same = component === undefined ? undefined : examples.find((entry) => entry.component === component && entry.mediaType === mediaType);
      if (same) same.statuses.push(status);
      else examples.push({ statuses: [status], mediaType, component, shown: component === undefined ? block : sharedExampleLink(component, up) });
    };
    const content = response.content ? contentBlocks(document, response.content, up, `response-${status}`, shown, `response ${status}`, aside, elsewhere) : "";
    const open = /^2/.test(status) ? " open" : "";
    return `<details class="response"${open}><summary>${statusMark(status)} ${descriptionLine(response.description)}</summary>${moreOf(response.description, up)}${headers ? `<p>Headers:</p><ul>${headers}</ul>` : ""}${content}</details>`;
  });
  return {
    tree: `<section aria-labelledby="responses"><h2 id="responses">Responses</h2>${blocks.join("")}</section>`,
    examples: examples.length
      ? `<section aria-labelledby="response-examples"><h2 id="response-examples">Example responses</h2>${examples.map(exampleEntry).join("")}</section>`
      : "",
  };
}

/** A status code, bold (a <b>: a keyword), coloured by its class (2xx, 4xx, 5xx): on every response of every page, so no wrapper more. */
function statusMark(status: string): string {
  return `<b class="status-${escapeHtml(status[0])}">${escapeHtml(status)}</b>`;
}

function exampleEntry(entry: { statuses: string[]; mediaType: string; shown: string }): string {
  const statuses = entry.statuses.map((status) => `${statusMark(status)}`).join(" ");
  return `<h3>${statuses} <code>${escapeHtml(entry.mediaType)}</code></h3>${entry.shown}`;
}

/** A response's description past the line its summary shows (links are left out of a summary, which is itself a toggle). */
function moreOf(text: unknown, up: string): string {
  return typeof text === "string" && /\n\s*\n|\]\(|<a\s/i.test(text.trim()) ? description(text, up) : "";
}

/** `shown`: each example's text already on the page, and where (`label`: "response 200"); `aside` takes the examples instead of the block. */
function contentBlocks(
  document: Record<string, any>,
  content: Record<string, any>,
  up: string,
  idPrefix: string,
  shown: ShownExamples = new Map(),
  label = "the request",
  aside?: (examples: string, mediaType: string, media: Record<string, any>) => void,
  elsewhere?: ExampleElsewhere,
): string {
  return Object.entries(content)
    .map(([mediaType, raw]) => {
      const media = raw ?? {};
      const tree = media.schema ? schemaTree(document, media.schema, up) : "";
      const examples = examplesBlock(
        shownExamples(document, media, mediaType, idPrefix === "request" ? "request" : "response"),
        `${idPrefix}-${mediaType}`,
        shown,
        label,
        elsewhere,
      );
      if (aside && examples) aside(examples, mediaType, media);
      return `<div class="media"><p class="media-type"><code>${escapeHtml(mediaType)}</code></p>${tree}${aside ? "" : examples}</div>`;
    })
    .join("");
}
