/**
 * @module
 * The body of one operation's page (also used for a webhook, without the
 * samples and try-it form, since the API sends those rather than receives them):
 * the reference in one column, what to send and what comes back in the other.
 * Each section is drawn by a module of its own.
 */
import { escapeHtml, methodBadge } from "./html.ts";
import { description, descriptionLine } from "./markdown.ts";
import { codeSamples } from "./code-samples.ts";
import type { ExampleElsewhere } from "./example-blocks.ts";
import type { OperationModel } from "./operation-model.ts";
import { cachingSection, limitsSection } from "./operation-limits.ts";
import { parametersSection } from "./operation-parameters.ts";
import { requestBodySection, responsesSection } from "./operation-content.ts";
import { securitySection } from "./operation-security.ts";
import { tryItForm } from "./try-it.ts";
import type { PortalCache, PortalCount, PortalLimit } from "../portal-input.ts";

/** A rate limit, quota or cache the operation is under, as the build planned it. */
export type Limit = PortalLimit;

/**
 * `sharedExamples`: components whose example is shown on their own page, many operations answering with them (shared-examples.ts);
 * `laterSamplesAt`: where the samples past the first three languages are, on a large API (samples-page.ts);
 * `exampleElsewhere`: response examples another operation's page shows (example-homes.ts).
 */
export function operationBody(
  document: Record<string, any>,
  model: OperationModel,
  options: {
    limits: Limit[];
    up: string;
    webhook?: boolean;
    sharedExamples?: ReadonlySet<string>;
    laterSamplesAt?: string;
    exampleElsewhere?: ExampleElsewhere;
  },
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
  const responses = responsesSection(document, operation, up, options.sharedExamples, options.exampleElsewhere);
  // Beside the reference on a wide screen (portal.css), below it on a phone: what to send and what comes back.
  const aside = [
    options.webhook ? "" : codeSamples(document, model, options.laterSamplesAt),
    responses.examples,
    options.webhook ? "" : tryItForm(document, model),
  ];
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
