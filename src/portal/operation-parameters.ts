/**
 * @module
 * An operation's parameters as one table: where each goes, its type, whether
 * it is required, its default, allowed values, examples and description.
 * A column no parameter fills is left out: most of GitHub's 1,200 tables
 * would carry three empty ones, a header and an empty cell a row each.
 */
import { escapeHtml, escapeText } from "./html.ts";
import { description } from "./markdown.ts";
import type { Parameter } from "./operation-model.ts";
import { typeText } from "./schema-tree.ts";

export function parametersSection(document: Record<string, any>, parameters: Parameter[], up: string): string {
  if (!parameters.length) return "";
  const cells = parameters.map((parameter) => {
    const schema = parameter.schema;
    const enumText = Array.isArray(schema.enum) ? schema.enum.map((value: unknown) => `<code>${escapeText(JSON.stringify(value))}</code>`).join(" ") : "";
    const examples = parameter.examples
      .map((example) => `<code>${escapeText(typeof example.value === "string" ? example.value : JSON.stringify(example.value))}</code>`)
      .join(" ");
    return {
      Name: `<code>${escapeHtml(parameter.name)}</code>${parameter.deprecated ? ' <span class="muted">deprecated</span>' : ""}`,
      In: escapeHtml(parameter.in),
      Type: escapeHtml(typeText(schema, document)),
      Required: parameter.required ? "yes" : "no",
      Default: "default" in schema ? `<code>${escapeText(JSON.stringify(schema.default))}</code>` : "",
      Allowed: enumText,
      Examples: examples,
      Description: description(parameter.description ?? schema.description, up),
    };
  });
  const columns = (Object.keys(cells[0]) as Array<keyof (typeof cells)[number]>).filter((column) => cells.some((row) => row[column] !== ""));
  const head = columns.map((column) => `<th scope="col">${column}</th>`).join("");
  const rows = cells.map((row) => `<tr>${columns.map((column) => `<td>${row[column]}</td>`).join("")}</tr>`).join("");
  return `<section aria-labelledby="parameters"><h2 id="parameters">Parameters</h2><div class="table-wrap" tabindex="0" role="region" aria-label="Parameters table"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div></section>`;
}
