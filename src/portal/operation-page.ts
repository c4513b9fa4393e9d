/**
 * @module
 * The body of one operation's page (also used for a webhook, without the
 * samples and try-it form, since the API sends those rather than receives them).
 */
import { escapeHtml, methodBadge } from "./html.ts";
import { description, descriptionLine } from "./markdown.ts";
import { codeSamples } from "./code-samples.ts";
import { codeBlock } from "./highlight.ts";
import { type OperationModel, type Parameter } from "./operation-model.ts";
import { shownExamples } from "./examples.ts";
import { resolve } from "./refs.ts";
import { schemaTree, typeText } from "./schema-tree.ts";
import { exampleComponent, sharedExampleLink } from "./shared-examples.ts";
import { tryItForm } from "./try-it.ts";
import type { PortalCache, PortalCount, PortalLimit } from "../portal-input.ts";

/** A rate limit, quota or cache the operation is under, as the build planned it. */
export type Limit = PortalLimit;

/** `sharedExamples`: components whose example is shown on their own page, many operations answering with them (shared-examples.ts). */
export function operationBody(
  document: Record<string, any>,
  model: OperationModel,
  options: { limits: Limit[]; up: string; webhook?: boolean; sharedExamples?: ReadonlySet<string> },
): string {
  const { operation } = model;
  const up = options.up;
  const sections = [
    `<h1>${methodBadge(model.method)} <code class="path">${escapeHtml(model.path)}</code></h1>`,
    ...summaryAndDescription(operation, up),
    options.webhook ? "" : securitySection(model),
    options.webhook ? "" : limitsSection(options.limits.filter((limit): limit is PortalCount => limit.kind !== "cache")),
    options.webhook ? "" : cachingSection(options.limits.filter((limit): limit is PortalCache => limit.kind === "cache")),
    parametersSection(document, model.parameters, up),
    requestBodySection(document, operation, up),
  ];
  const responses = responsesSection(document, operation, up, options.sharedExamples);
  // Beside the reference on a wide screen (portal.css), below it on a phone: what to send and what comes back.
  const aside = [options.webhook ? "" : codeSamples(document, model), responses.examples, options.webhook ? "" : tryItForm(document, model)];
  const column = (parts: string[]) => parts.filter(Boolean).join("\n");
  return `<div class="operation"><div class="operation-main">\n${column([...sections, responses.tree])}\n</div><div class="operation-aside">\n${column(aside)}\n</div></div>`;
}

/**
 * The summary as one line, then the description. A summary of several paragraphs without a
 * description (all of OpenAI's) is the description: shown whole, its links kept.
 */
function summaryAndDescription(operation: Record<string, any>, up: string): string[] {
  const summary = typeof operation.summary === "string" ? operation.summary : "";
  const deprecated = operation.deprecated ? `<p class="warning">Deprecated.</p>` : "";
  if (!operation.description && /\n\s*\n/.test(summary.trim())) return [deprecated, description(summary, up)];
  return [summary ? `<p class="summary">${descriptionLine(summary)}</p>` : "", deprecated, description(operation.description, up)];
}

function securitySection(model: OperationModel): string {
  if (!model.security.length || model.security.every((requirement) => requirement.length === 0)) {
    return `<section aria-labelledby="security"><h2 id="security">Authentication</h2><p>None: this operation is public.</p></section>`;
  }
  const options = model.security.map((requirement) => {
    if (!requirement.length) return "<li>No credential (public)</li>";
    const parts = requirement.map(({ key, scheme, scopes }) => {
      const scopeText = scopes.length ? ` with scopes ${scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(", ")}` : "";
      return `<a href="../index.html#scheme-${escapeHtml(key)}"><strong>${escapeHtml(key)}</strong></a> <span class="muted">${escapeHtml(describeScheme(scheme))}</span>${scopeText}`;
    });
    return `<li>${parts.join(" <em>and</em> ")}</li>`;
  });
  const lead = model.security.length > 1 ? "<p>Any one of:</p>" : "";
  return `<section aria-labelledby="security"><h2 id="security">Authentication</h2>${lead}<ul class="security">${options.join("")}</ul></section>`;
}

export function describeScheme(scheme: Record<string, any>): string {
  switch (scheme.type) {
    case "apiKey":
      return `API key in ${scheme.in} "${scheme.name}"`;
    case "http":
      return String(scheme.scheme).toLowerCase() === "basic"
        ? "HTTP Basic"
        : `HTTP ${scheme.scheme ?? "bearer"}${scheme.bearerFormat ? ` (${scheme.bearerFormat})` : ""}`;
    case "oauth2":
      return `OAuth 2 (${Object.keys(scheme.flows ?? {}).join(", ")})`;
    case "openIdConnect":
      return "OpenID Connect";
    case "mutualTLS":
      return "mutual TLS";
    default:
      return String(scheme.type ?? "unknown");
  }
}

function limitsSection(limits: PortalCount[]): string {
  if (!limits.length) return "";
  const rows = limits.flatMap((limit) => {
    const per = limit.kind === "rate-limit" ? `${limit.window ?? 60} s` : (limit.period ?? "month");
    const kind = limit.kind === "rate-limit" ? "Rate limit" : "Quota";
    const base = `<tr><td>${kind}</td><td>${escapeHtml(limit.name)}</td><td>default</td><td>${escapeHtml(limit.limit)} per ${escapeHtml(per)}</td><td>${escapeHtml(limit.by ?? "")}</td></tr>`;
    const tiers = Object.entries(limit.tiers ?? {}).map(([tier, value]) => {
      const tierPer = limit.kind === "rate-limit" ? `${value.window ?? limit.window ?? 60} s` : per;
      // Callers without a consumer are counted by address, whatever the policy counts the others by.
      const by = tier === "anonymous" ? "address (IP)" : (limit.by ?? "");
      return `<tr><td>${kind}</td><td>${escapeHtml(limit.name)}</td><td>${escapeHtml(tier)}</td><td>${escapeHtml(value.limit)} per ${escapeHtml(tierPer)}</td><td>${escapeHtml(by)}</td></tr>`;
    });
    return [base, ...tiers];
  });
  return `<section aria-labelledby="limits"><h2 id="limits">Limits</h2><div class="table-wrap" tabindex="0" role="region" aria-label="Limits table"><table><thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Tier</th><th scope="col">Allowed</th><th scope="col">Counted by</th></tr></thead><tbody>${rows.join("")}</tbody></table></div><p class="muted">Answers carry <code>RateLimit</code> and <code>RateLimit-Policy</code> headers; past a limit the gateway answers 429 with <code>Retry-After</code>.</p></section>`;
}

/** How long answers are cached, and whose they are. */
function cachingSection(caches: PortalCache[]): string {
  if (!caches.length) return "";
  const items = caches.map((cache) => {
    const kept = cache.ttl === undefined ? "as long as the API's Cache-Control allows" : `for ${cache.ttl} s`;
    const whose = cache.by === "consumer" ? "per consumer: one caller's answers are never served to another" : "shared: every caller gets the same answer";
    const stale = cache.staleWhileRevalidate === undefined ? "" : `, then served up to ${cache.staleWhileRevalidate} s longer while refreshed`;
    return `<li>Answers are cached ${escapeHtml(kept)}${escapeHtml(stale)}, ${escapeHtml(whose)}.</li>`;
  });
  return `<section aria-labelledby="caching"><h2 id="caching">Caching</h2><ul>${items.join("")}</ul><p class="muted">Cached answers carry <code>Age</code> and <code>Cache-Status: Portico; hit</code>.</p></section>`;
}

function parametersSection(document: Record<string, any>, parameters: Parameter[], up: string): string {
  if (!parameters.length) return "";
  const rows = parameters.map((parameter) => {
    const schema = parameter.schema;
    const enumText = Array.isArray(schema.enum) ? schema.enum.map((value: unknown) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(" ") : "";
    const examples = parameter.examples
      .map((example) => `<code>${escapeHtml(typeof example.value === "string" ? example.value : JSON.stringify(example.value))}</code>`)
      .join(" ");
    return `<tr><td><code>${escapeHtml(parameter.name)}</code>${parameter.deprecated ? ' <span class="muted">deprecated</span>' : ""}</td><td>${escapeHtml(parameter.in)}</td><td>${escapeHtml(typeText(schema, document))}</td><td>${parameter.required ? "yes" : "no"}</td><td>${"default" in schema ? `<code>${escapeHtml(JSON.stringify(schema.default))}</code>` : ""}</td><td>${enumText}</td><td>${examples}</td><td>${description(parameter.description ?? schema.description, up)}</td></tr>`;
  });
  return `<section aria-labelledby="parameters"><h2 id="parameters">Parameters</h2><div class="table-wrap" tabindex="0" role="region" aria-label="Parameters table"><table><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Default</th><th scope="col">Allowed</th><th scope="col">Examples</th><th scope="col">Description</th></tr></thead><tbody>${rows.join("")}</tbody></table></div></section>`;
}

function requestBodySection(document: Record<string, any>, operation: Record<string, any>, up: string): string {
  const body = resolve(document, operation.requestBody);
  if (!body?.content) return "";
  return `<section aria-labelledby="request-body"><h2 id="request-body">Request body${body.required ? ` <span class="required">required</span>` : ""}</h2>${description(body.description, up)}${contentBlocks(document, body.content, up, "request")}</section>`;
}

/** The responses' trees, and apart from them their examples, which the page shows beside the trees. */
function responsesSection(
  document: Record<string, any>,
  operation: Record<string, any>,
  up: string,
  shared: ReadonlySet<string> = new Set(),
): { tree: string; examples: string } {
  const responses = Object.entries(operation.responses ?? {});
  if (!responses.length) return { tree: "", examples: "" };
  const examples: string[] = [];
  // An example shown for one response is not repeated for the next (GitHub's repeat theirs, 140 kB at a time).
  const shown = new Map<string, string>();
  const blocks = responses.map(([status, raw]) => {
    const response = resolve(document, raw as any) ?? {};
    const headers = Object.entries(response.headers ?? {})
      .map(([name, header]) => {
        const value = resolve(document, header as any) ?? {};
        return `<li><code>${escapeHtml(name)}</code> ${escapeHtml(typeText(resolve(document, value.schema ?? {}), document))} ${description(value.description, up)}</li>`;
      })
      .join("");
    const aside = (block: string, mediaType: string, media: Record<string, any>) => {
      const component = exampleComponent(media);
      const shown = component !== undefined && shared.has(component) ? sharedExampleLink(component, up) : block;
      examples.push(
        `<h3 class="example-for"><span class="status status-${escapeHtml(status[0])}">${escapeHtml(status)}</span> <code>${escapeHtml(mediaType)}</code></h3>${shown}`,
      );
    };
    const content = response.content ? contentBlocks(document, response.content, up, `response-${status}`, shown, `response ${status}`, aside) : "";
    const open = /^2/.test(status) ? " open" : "";
    return `<details class="response"${open}><summary><span class="status status-${escapeHtml(status[0])}">${escapeHtml(status)}</span> ${descriptionLine(response.description)}</summary>${moreOf(response.description, up)}${headers ? `<p>Headers:</p><ul>${headers}</ul>` : ""}${content}</details>`;
  });
  return {
    tree: `<section aria-labelledby="responses"><h2 id="responses">Responses</h2>${blocks.join("")}</section>`,
    examples: examples.length
      ? `<section aria-labelledby="response-examples"><h2 id="response-examples">Example responses</h2>${examples.join("")}</section>`
      : "",
  };
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
  shown = new Map<string, string>(),
  label = "the request",
  aside?: (examples: string, mediaType: string, media: Record<string, any>) => void,
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
      );
      if (aside && examples) aside(examples, mediaType, media);
      return `<div class="media"><p class="media-type"><code>${escapeHtml(mediaType)}</code></p>${tree}${aside ? "" : examples}</div>`;
    })
    .join("");
}

/** A component's example as a response shows it, for its own page, which responses sharing it link (shared-examples.ts). */
export function componentExamples(document: Record<string, any>, name: string): string {
  const media = { schema: { $ref: `#/components/schemas/${name.replaceAll("~", "~0").replaceAll("/", "~1")}` } };
  return examplesBlock(shownExamples(document, media, "application/json", "response"), "component", new Map(), "");
}

/** Every example is rendered, so all read without JavaScript; the select lets the script show one at a time. */
function examplesBlock(
  examples: Array<{ name: string; summary?: string; value: unknown }>,
  idPrefix: string,
  shown: Map<string, string>,
  label: string,
): string {
  if (!examples.length) return "";
  const base = idPrefix.replace(/[^A-Za-z0-9_-]/g, "-");
  const options = examples.map((example, index) => `<option value="${index}">${escapeHtml(example.summary ?? example.name)}</option>`).join("");
  const select =
    examples.length > 1
      ? `<label>Example <select data-example-select aria-controls="${escapeHtml(base)}-examples">${options}</select></label>`
      : `<p class="example-title">Example</p>`;
  const blocks = examples
    .map((example, index) => {
      // A string example is shown as written (it may be XML or plain text); anything else is JSON.
      const text = typeof example.value === "string" ? example.value : JSON.stringify(example.value, null, 2);
      const before = shown.get(text);
      if (before === undefined) shown.set(text, label);
      const code =
        before !== undefined
          ? `<p class="muted">The same as the example of ${escapeHtml(before)}.</p>`
          : typeof example.value === "string"
            ? `<pre><code>${escapeHtml(example.value)}</code></pre>`
            : codeBlock(text, "json");
      return `<figure data-example="${index}"><figcaption>${escapeHtml(example.summary ?? example.name)}</figcaption>${code}</figure>`;
    })
    .join("");
  return `<div class="examples" data-examples id="${escapeHtml(base)}-examples">${select}${blocks}</div>`;
}
