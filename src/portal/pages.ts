/**
 * @module
 * The pages other than an operation's: home, tags, schemas, webhooks, guides.
 */
import { BUILD_FAILED, PROBLEM } from "../runtime/errors.ts";
import { codeBlock } from "./highlight.ts";
import { escapeHtml, methodBadge, slugOf } from "./html.ts";
import { description as descriptionHtml, descriptionLine } from "./markdown.ts";
import { describeScheme } from "./operation-security.ts";
import { schemaTree } from "./schema-tree.ts";
import { resolve } from "./refs.ts";
import { served } from "./site.ts";

export interface OperationLink {
  slug: string;
  method: string;
  path: string;
  summary?: string;
}

export function operationList(operations: OperationLink[], up: string): string {
  const items = operations
    .map(
      (op) =>
        `<li><a href="${up}${escapeHtml(served.operation(op.slug))}">${methodBadge(op.method)} <code class="path">${escapeHtml(op.path)}</code></a>${op.summary ? ` <span>${descriptionLine(op.summary)}</span>` : ""}</li>`,
    )
    .join("");
  return `<ul class="operation-list">${items}</ul>`;
}

export function homeBody(
  document: Record<string, any>,
  tags: Array<{ name: string; slug: string; description?: string; operations: unknown[] }>,
  serverUrls: string[],
): string {
  const info = document.info ?? {};
  const servers = serverUrls.length
    ? `<section aria-labelledby="servers"><h2 id="servers">Servers</h2><ul>${(document.servers ?? []).map((server: any) => `<li><code>${escapeHtml(server.url)}</code> ${descriptionLine(server.description)}</li>`).join("")}</ul></section>`
    : "";
  const tagList = tags
    .map(
      (tag) =>
        `<li><a href="${escapeHtml(served.group(tag.slug))}">${escapeHtml(tag.name)}</a> <span class="muted">(${tag.operations.length})</span>${tag.description ? ` ${descriptionLine(tag.description, 160)}` : ""}</li>`,
    )
    .join("");
  return [
    `<h1>${escapeHtml(info.title ?? "API")} <span class="muted version">${escapeHtml(info.version ?? "")}</span></h1>`,
    descriptionHtml(info.description, ""),
    servers,
    authenticationSection(document),
    errorFormatSection(),
    tagList ? `<section aria-labelledby="sections"><h2 id="sections">Operations by tag</h2><ul>${tagList}</ul></section>` : "",
  ].join("\n");
}

function authenticationSection(document: Record<string, any>): string {
  const schemes = Object.entries(document.components?.securitySchemes ?? {});
  if (!schemes.length) return `<section aria-labelledby="auth"><h2 id="auth">Authentication</h2><p>No credentials are needed.</p></section>`;
  const items = schemes.map(([key, raw]) => {
    const scheme = resolve(document, raw as any) ?? {};
    const flows = Object.entries(scheme.flows ?? {})
      .map(([flow, value]: [string, any]) => {
        const scopes = Object.entries(value.scopes ?? {})
          .map(([scope, text]) => `<li><code>${escapeHtml(scope)}</code> ${descriptionLine(text)}</li>`)
          .join("");
        const urls = ["authorizationUrl", "tokenUrl"]
          .filter((name) => value[name])
          .map((name) => `${name} <code>${escapeHtml(value[name])}</code>`)
          .join(" · ");
        return `<li>${escapeHtml(flow)} ${urls}${scopes ? `<ul>${scopes}</ul>` : ""}</li>`;
      })
      .join("");
    return `<li id="scheme-${escapeHtml(key)}"><strong>${escapeHtml(key)}</strong>: ${escapeHtml(describeScheme(scheme))}${descriptionHtml(scheme.description, "")}${flows ? `<ul>${flows}</ul>` : ""}</li>`;
  });
  return `<section aria-labelledby="auth"><h2 id="auth">Authentication</h2><ul class="schemes">${items.join("")}</ul></section>`;
}

/** The gateway's own problem kinds, from the module that renders them, so these pages cannot drift. */
const PROBLEM_KINDS = [...Object.values(PROBLEM), BUILD_FAILED].sort((a, b) => a.status - b.status);

function errorFormatSection(): string {
  return `<section aria-labelledby="errors"><h2 id="errors">Errors</h2><p>Errors the gateway itself makes are <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a> problem documents, sent as <code>application/problem+json</code>, with a <code>requestId</code> to quote when you report a problem. <a href="${served.errors}">Every error type</a> is explained on a page of its own.</p></section>`;
}

/** The errors page: one anchor per problem type, which the gateway's `type` URIs point at (`errors#validation`). */
export function errorsBody(): string {
  const kind = PROBLEM.tooManyRequests;
  const example = {
    type: `errors#${kind.type}`,
    title: kind.title,
    status: kind.status,
    detail: "Too many requests: the limit is 100. Retry in 12 s.",
    instance: "/v1/exhibits",
    requestId: "4f2c9a4e-…",
  };
  const sections = PROBLEM_KINDS.map(
    (problem) =>
      `<section aria-labelledby="${problem.type}"><h2 id="${problem.type}">${problem.status} ${escapeHtml(problem.title)}</h2><p><code>type</code>: <code>…/errors#${problem.type}</code>. ${escapeHtml(problem.explanation)}</p></section>`,
  );
  return `<h1>Errors</h1><p>Errors the gateway itself makes are <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a> problem documents, sent as <code>application/problem+json</code>: <code>type</code> points at a section of this page, and <code>requestId</code> is the id to quote when you report a problem. A 400 from validation lists each problem in <code>errors</code> as <code>{ in, name or pointer, message }</code>; a 401 carries <code>WWW-Authenticate</code>, a 429 <code>Retry-After</code> and the RateLimit headers, a 405 <code>Allow</code>.</p>${codeBlock(JSON.stringify(example, null, 2), "json")}${sections.join("")}`;
}

export function tagBody(name: string, description: string | undefined, operations: OperationLink[]): string {
  return `<h1>${escapeHtml(name)}</h1>${descriptionHtml(description, "../")}${operationList(operations, "../")}`;
}

/** `example`: the example responses of many operations link here for (shared-examples.ts), when the schema has none of its own. */
export function schemaBody(document: Record<string, any>, name: string, example = ""): string {
  const schema = document.components?.schemas?.[name] ?? {};
  const ref = `#/components/schemas/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`;
  // The tree names its component with a link to this very page, inside a <summary>, itself a
  // control: a link there is a control inside a control to assistive technology (axe: nested-interactive).
  const self = `<a class="schema-link" href="../schemas/${escapeHtml(slugOf(name))}.html">${escapeHtml(name)}</a>`;
  const tree = schemaTree(document, { $ref: ref }, "../", true).replaceAll(self, `<span class="schema-name">${escapeHtml(name)}</span>`);
  return `<h1>${escapeHtml(name)}</h1>${descriptionHtml(schema.description, "../")}${tree}${schema.example !== undefined ? `<h2 id="example">Example</h2>${codeBlock(JSON.stringify(schema.example, null, 2), "json")}` : example ? `<h2 id="example">Example</h2>${example}` : ""}`;
}

export function indexBody(title: string, links: Array<{ href: string; text: string }>): string {
  return `<h1>${escapeHtml(title)}</h1><ul class="index-list">${links.map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></li>`).join("")}</ul>`;
}

/** What a missing page under the base path shows, served by the gateway with status 404. */
export function notFoundBody(home: string): string {
  return `<h1>Page not found</h1><p>No page of this portal is at this address. It may have moved when the API changed: <a href="${escapeHtml(home)}">start from the overview</a>, or search above.</p>`;
}
