/**
 * @module
 * The pages other than an operation's: home, tags, schemas, webhooks, guides.
 */
import { BUILD_FAILED, PROBLEM } from "../runtime/errors.ts";
import { codeBlock } from "./highlight.ts";
import { escapeHtml, markdown, methodBadge, slugOf } from "./html.ts";
import { describeScheme } from "./operation-page.ts";
import { schemaTree } from "./schema-tree.ts";
import { resolve } from "./refs.ts";

export interface OperationLink {
  id: string;
  method: string;
  path: string;
  summary?: string;
  tags: string[];
}

export function operationList(operations: OperationLink[], up: string): string {
  const items = operations
    .map(
      (op) =>
        `<li><a href="${up}operations/${escapeHtml(slugOf(op.id))}.html">${methodBadge(op.method)} <code class="path">${escapeHtml(op.path)}</code></a>${op.summary ? ` <span>${escapeHtml(op.summary)}</span>` : ""}</li>`,
    )
    .join("");
  return `<ul class="operation-list">${items}</ul>`;
}

export function homeBody(document: Record<string, any>, tags: Array<{ name: string; description?: string; count: number }>, serverUrls: string[]): string {
  const info = document.info ?? {};
  const servers = serverUrls.length
    ? `<section aria-labelledby="servers"><h2 id="servers">Servers</h2><ul>${(document.servers ?? []).map((server: any) => `<li><code>${escapeHtml(server.url)}</code> ${escapeHtml(server.description ?? "")}</li>`).join("")}</ul></section>`
    : "";
  const tagList = tags
    .map(
      (tag) =>
        `<li><a href="tags/${escapeHtml(slugOf(tag.name))}.html">${escapeHtml(tag.name)}</a> <span class="muted">(${tag.count})</span>${tag.description ? ` ${escapeHtml(firstSentence(tag.description))}` : ""}</li>`,
    )
    .join("");
  return [
    `<h1>${escapeHtml(info.title ?? "API")} <span class="muted version">${escapeHtml(info.version ?? "")}</span></h1>`,
    markdown(info.description),
    servers,
    authenticationSection(document),
    errorFormatSection(),
    tagList ? `<section aria-labelledby="sections"><h2 id="sections">Operations by tag</h2><ul>${tagList}</ul></section>` : "",
  ].join("\n");
}

function firstSentence(text: string): string {
  const line = text.split("\n")[0];
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

function authenticationSection(document: Record<string, any>): string {
  const schemes = Object.entries(document.components?.securitySchemes ?? {});
  if (!schemes.length) return `<section aria-labelledby="auth"><h2 id="auth">Authentication</h2><p>No credentials are needed.</p></section>`;
  const items = schemes.map(([key, raw]) => {
    const scheme = resolve(document, raw as any) ?? {};
    const flows = Object.entries(scheme.flows ?? {})
      .map(([flow, value]: [string, any]) => {
        const scopes = Object.entries(value.scopes ?? {})
          .map(([scope, text]) => `<li><code>${escapeHtml(scope)}</code> ${escapeHtml(text)}</li>`)
          .join("");
        const urls = ["authorizationUrl", "tokenUrl"]
          .filter((name) => value[name])
          .map((name) => `${name} <code>${escapeHtml(value[name])}</code>`)
          .join(" · ");
        return `<li>${escapeHtml(flow)} ${urls}${scopes ? `<ul>${scopes}</ul>` : ""}</li>`;
      })
      .join("");
    return `<li id="scheme-${escapeHtml(key)}"><strong>${escapeHtml(key)}</strong>: ${escapeHtml(describeScheme(scheme))}${markdown(scheme.description)}${flows ? `<ul>${flows}</ul>` : ""}</li>`;
  });
  return `<section aria-labelledby="auth"><h2 id="auth">Authentication</h2><ul class="schemes">${items.join("")}</ul></section>`;
}

/** The gateway's own problem kinds, from the module that renders them, so these pages cannot drift. */
const PROBLEM_KINDS = [...Object.values(PROBLEM), BUILD_FAILED].sort((a, b) => a.status - b.status);

function errorFormatSection(): string {
  return `<section aria-labelledby="errors"><h2 id="errors">Errors</h2><p>Errors the gateway itself makes are <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a> problem documents, sent as <code>application/problem+json</code>, with a <code>requestId</code> to quote when you report a problem. <a href="errors.html">Every error type</a> is explained on a page of its own.</p></section>`;
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
  return `<h1>${escapeHtml(name)}</h1>${markdown(description)}${operationList(operations, "../")}`;
}

export function schemaBody(document: Record<string, any>, name: string): string {
  const schema = document.components?.schemas?.[name] ?? {};
  const ref = `#/components/schemas/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`;
  return `<h1>${escapeHtml(name)}</h1>${markdown(schema.description)}${schemaTree(document, { $ref: ref }, "../", true)}${schema.example !== undefined ? `<h2>Example</h2>${codeBlock(JSON.stringify(schema.example, null, 2), "json")}` : ""}`;
}

export function indexBody(title: string, links: Array<{ href: string; text: string }>): string {
  return `<h1>${escapeHtml(title)}</h1><ul class="index-list">${links.map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></li>`).join("")}</ul>`;
}
