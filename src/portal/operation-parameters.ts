/**
 * @module
 * An operation's parameters as one table: where each goes, its type, whether
 * it is required, its default, allowed values, examples and description.
 */
import { escapeHtml } from "./html.ts";
import { description } from "./markdown.ts";
import type { Parameter } from "./operation-model.ts";
import { typeText } from "./schema-tree.ts";

export function parametersSection(document: Record<string, any>, parameters: Parameter[], up: string): string {
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
