/**
 * @module
 * A JSON Schema as a collapsible tree of <details>, readable without
 * JavaScript. Named schemas that recur are marked and cut; a component met
 * inside another, and deep or large trees, link to the schema's own page
 * instead of repeating it inline.
 */
import { escapeHtml, slugOf } from "./html.ts";
import { pointerTarget, refName } from "./refs.ts";

const maxDepth = 6;
const maxNodes = 150;

interface TreeContext {
  document: Record<string, any>;
  /** Whether a component the tree starts with is drawn (its own page) or linked (any other page). */
  drawsComponent: boolean;
  /** Relative way back to basePath from the current page. */
  up: string;
  nodes: number;
}

/** `drawsComponent`: on a component's own page, its tree; anywhere else a component is a link to that page. */
export function schemaTree(document: Record<string, any>, schema: unknown, up: string, drawsComponent = false): string {
  const context: TreeContext = { document, up, nodes: 0, drawsComponent };
  return `<div class="schema-tree">${node(context, schema, { label: undefined, required: false, depth: 0, stack: [] })}</div>`;
}

interface NodeInput {
  label: string | undefined;
  required: boolean;
  depth: number;
  stack: string[];
}

function node(context: TreeContext, raw: unknown, input: NodeInput): string {
  context.nodes += 1;
  if (raw === true || raw === undefined) return leaf(input, `<span class="type">any</span>`, "");
  if (raw === false) return leaf(input, `<span class="type">never</span>`, "");
  if (typeof raw !== "object" || raw === null) return leaf(input, `<span class="type">any</span>`, "");
  let schema = raw as Record<string, any>;
  let named: string | undefined;
  if (typeof schema.$ref === "string") {
    const ref = schema.$ref;
    named = refName(ref);
    const link = schemaLink(context, ref, named);
    if (input.stack.includes(ref)) {
      return leaf(input, `${link} <span class="recursive" title="This schema contains itself">↻ recursive</span>`, "");
    }
    const target = pointerTarget(context.document, ref);
    if (target === undefined) return leaf(input, `<span class="type">${escapeHtml(named)}</span>`, "");
    // Siblings of $ref (3.1) such as a description take precedence over the target's.
    const { $ref: _ignored, ...siblings } = schema;
    // A component has a page of its own, its tree drawn once there: anywhere else it is a link
    // (GitHub's description repeats its components on every page that reaches them, to 68 MB of portal).
    if (isComponent(ref) && (input.stack.length > 0 || !context.drawsComponent)) {
      return leaf(input, `${link} <span class="type">${escapeHtml(typeText({ ...target, ...siblings }))}</span>`, factsOf(siblings));
    }
    if (input.depth >= maxDepth || context.nodes > maxNodes) return leaf(input, `${link} <span class="muted">(see its page)</span>`, "");
    schema = { ...target, ...siblings };
    input = { ...input, stack: [...input.stack, ref] };
  }
  const summaryType = `${named ? `${schemaLink(context, String(raw && (raw as any).$ref), named)} ` : ""}<span class="type">${escapeHtml(typeText(schema))}</span>`;
  const facts = factsOf(schema);
  const children = childrenOf(context, schema, input);
  if (!children) return leaf(input, summaryType, facts);
  const open = input.depth < 1 ? " open" : "";
  return `<details${open}><summary>${heading(input, summaryType)}</summary>${facts}${children}</details>`;
}

/** A node without children: its heading and facts, straight in the list item (a wrapper on each of thousands would weigh a megabyte). */
function leaf(input: NodeInput, type: string, facts: string): string {
  return `${heading(input, type)}${facts}`;
}

function heading(input: NodeInput, type: string): string {
  const label = input.label === undefined ? "" : `<code>${escapeHtml(input.label)}</code> `;
  return `${label}${type}${input.required ? ` <span class="required">required</span>` : ""}`;
}

const isComponent = (ref: string) => ref.startsWith("#/components/schemas/");

function schemaLink(context: TreeContext, ref: string, name: string): string {
  if (!isComponent(ref)) return `<span class="type">${escapeHtml(name)}</span>`;
  return `<a class="schema-link" href="${context.up}schemas/${escapeHtml(slugOf(name))}.html">${escapeHtml(name)}</a>`;
}

export function typeText(schema: Record<string, any>): string {
  const types: string[] = Array.isArray(schema.type) ? [...schema.type] : schema.type ? [schema.type] : [];
  const nullable = schema.nullable === true || types.includes("null");
  let base = types.filter((type) => type !== "null").join(" | ");
  if (!base) base = schema.properties ? "object" : schema.items ? "array" : schema.oneOf ? "one of" : schema.anyOf ? "any of" : schema.allOf ? "all of" : "any";
  if (base === "array" && schema.items && typeof schema.items === "object") {
    const item = schema.items.$ref ? refName(schema.items.$ref) : typeText(schema.items);
    base = `array of ${item}`;
  }
  if (schema.format) base += ` (${schema.format})`;
  return nullable ? `${base} | null` : base;
}

function factsOf(schema: Record<string, any>): string {
  const facts: string[] = [];
  if (schema.description) facts.push(`<p class="description">${escapeHtml(schema.description)}</p>`);
  const list: string[] = [];
  if (Array.isArray(schema.enum)) list.push(`one of ${schema.enum.map((value: unknown) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(", ")}`);
  if ("const" in schema) list.push(`always <code>${escapeHtml(JSON.stringify(schema.const))}</code>`);
  if ("default" in schema) list.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
  for (const key of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems"]) {
    if (key in schema && typeof schema[key] !== "boolean") list.push(`${key} <code>${escapeHtml(schema[key])}</code>`);
  }
  if (schema.readOnly) list.push("read-only");
  if (schema.writeOnly) list.push("write-only");
  if (schema.deprecated) list.push("deprecated");
  if (schema.example !== undefined) list.push(`example <code>${escapeHtml(JSON.stringify(schema.example))}</code>`);
  if (schema.discriminator?.propertyName) list.push(`discriminated by <code>${escapeHtml(schema.discriminator.propertyName)}</code>`);
  if (list.length) facts.push(`<p class="facts">${list.join(" · ")}</p>`);
  return facts.join("");
}

function childrenOf(context: TreeContext, schema: Record<string, any>, input: NodeInput): string {
  const depth = input.depth + 1;
  const parts: string[] = [];
  for (const keyword of ["oneOf", "anyOf", "allOf"] as const) {
    if (!Array.isArray(schema[keyword])) continue;
    const title = keyword === "oneOf" ? "One of" : keyword === "anyOf" ? "Any of" : "All of";
    const mapping = invertMapping(schema.discriminator?.mapping);
    const variants = schema[keyword]
      .map((variant: any, index: number) => {
        const name = variant?.$ref ? (mapping.get(variant.$ref) ?? refName(variant.$ref)) : (variant?.title ?? `option ${index + 1}`);
        return `<li>${node(context, variant, { label: name, required: false, depth, stack: input.stack })}</li>`;
      })
      .join("");
    parts.push(`<div class="variants"><span class="variants-title">${title}</span><ul>${variants}</ul></div>`);
  }
  if (schema.properties && typeof schema.properties === "object") {
    const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
    const items = Object.entries(schema.properties)
      .map(([name, value]) => `<li>${node(context, value, { label: name, required: required.has(name), depth, stack: input.stack })}</li>`)
      .join("");
    parts.push(`<ul class="properties">${items}</ul>`);
  }
  if (schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
    parts.push(`<ul class="properties"><li>${node(context, schema.items, { label: "[item]", required: false, depth, stack: input.stack })}</li></ul>`);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    parts.push(
      `<ul class="properties"><li>${node(context, schema.additionalProperties, { label: "[key]", required: false, depth, stack: input.stack })}</li></ul>`,
    );
  }
  return parts.join("");
}

function invertMapping(mapping: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (mapping && typeof mapping === "object") for (const [value, ref] of Object.entries(mapping)) out.set(String(ref), value);
  return out;
}
