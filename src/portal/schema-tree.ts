/**
 * @module
 * A JSON Schema as a collapsible tree of <details>, readable without
 * JavaScript. Named schemas that recur are marked and cut; a component met
 * inside another, and deep or large trees, link to the schema's own page
 * instead of repeating it inline. Shapes are drawn as a reader thinks of them
 * (schema-shape.ts): `allOf` as one property list, unions with null as `X | null`.
 * A type is an <i> (a technical term) and "required" a <b> (a keyword), not
 * classed spans: GitHub's trees hold 40,000 types, and a class on each weighed
 * a megabyte. portal.css styles them as children of an item or a summary.
 */
import { escapeHtml, escapeText, slugOf } from "./html.ts";
import { description } from "./markdown.ts";
import { pointerTarget, refName } from "./refs.ts";
import { displayShape, typeName, variantName } from "./schema-shape.ts";

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
  const drawn = node(context, schema, { label: undefined, required: false, depth: 0, stack: [], nullable: false });
  // A link alone (most responses: a component) needs no tree around it.
  return /^<a [^>]*>[^<]*<\/a>$/.test(drawn) ? drawn : `<div class="schema-tree">${drawn}</div>`;
}

interface NodeInput {
  label: string | undefined;
  required: boolean;
  depth: number;
  stack: string[];
  /** Null is allowed too: a union with null, met on the way to this schema. */
  nullable: boolean;
}

function node(context: TreeContext, raw: unknown, input: NodeInput): string {
  context.nodes += 1;
  if (raw === true || raw === undefined) return leaf(input, `<i>any</i>`, "");
  if (raw === false) return leaf(input, `<i>never</i>`, "");
  if (typeof raw !== "object" || raw === null) return leaf(input, `<i>any</i>`, "");
  let schema = raw as Record<string, any>;
  let named = "";
  if (typeof schema.$ref === "string") {
    const ref = schema.$ref;
    const link = schemaLink(context, ref, refName(ref));
    const orNull = input.nullable ? ` <i>| null</i>` : "";
    if (input.stack.includes(ref)) {
      return leaf(input, `${link}${orNull} <span class="recursive" title="This schema contains itself">↻ recursive</span>`, "");
    }
    const target = pointerTarget(context.document, ref);
    if (target === undefined) return leaf(input, `<i>${escapeHtml(refName(ref))}</i>${orNull}`, "");
    // Siblings of $ref (3.1) such as a description take precedence over the target's.
    const { $ref: _ignored, ...siblings } = schema;
    // A component has a page of its own, its tree drawn once there: anywhere else it is a link
    // (GitHub's description repeats its components on every page that reaches them, to 68 MB of portal).
    if (isComponent(ref) && (input.stack.length > 0 || !context.drawsComponent)) {
      return leaf(input, `${link}${orNull}`, factsOf(context, siblings, input));
    }
    if (input.depth >= maxDepth || context.nodes > maxNodes) return leaf(input, `${link}${orNull} <span class="muted">(see its page)</span>`, "");
    schema = { ...target, ...siblings };
    // Its name, not a link: it heads a <summary>, a control already (a link inside it is a control in a control).
    named = `<span class="schema-name">${escapeHtml(refName(ref))}</span> `;
    input = { ...input, stack: [...input.stack, ref] };
  }
  const shape = displayShape(context.document, schema, input.stack);
  const nullable = input.nullable || shape.nullable;
  // What is left is one reference (`allOf: [X]`, `anyOf: [X, null]`): drawn as that reference.
  if (typeof shape.schema.$ref === "string") return node(context, shape.schema, { ...input, nullable });
  schema = shape.schema;
  const type = `${named}<i>${escapeHtml(typeName(context.document, schema))}${nullable ? " | null" : ""}</i>`;
  const facts = factsOf(context, schema, input) + includesOf(context, shape.includes);
  const children = childrenOf(context, schema, input);
  if (!children) return leaf(input, type, facts);
  const open = input.depth < 1 ? " open" : "";
  return `<details${open}><summary>${heading(input, type)}</summary>${facts}${children}</details>`;
}

/** A node without children: its heading and facts, straight in the list item (a wrapper on each of thousands would weigh a megabyte). */
function leaf(input: NodeInput, type: string, facts: string): string {
  return `${heading(input, type)}${facts}`;
}

function heading(input: NodeInput, type: string): string {
  const label = input.label === undefined ? "" : `<code>${escapeHtml(input.label)}</code> `;
  return `${label}${type}${input.required ? ` <b>required</b>` : ""}`;
}

const isComponent = (ref: string) => ref.startsWith("#/components/schemas/");

function schemaLink(context: TreeContext, ref: string, name: string): string {
  if (!isComponent(ref)) return `<i>${escapeHtml(name)}</i>`;
  return `<a class="schema-link" href="${context.up}schemas/${escapeHtml(slugOf(name))}.html">${escapeHtml(name)}</a>`;
}

/** A schema's type in a few words, as parameter tables and headers show it. */
export function typeText(schema: Record<string, any>, document: Record<string, any> = {}): string {
  return typeName(document, schema);
}

function factsOf(context: TreeContext, schema: Record<string, any>, input: NodeInput): string {
  const facts: string[] = [];
  // A component's own page shows its description above the tree, once.
  const ownPage = context.drawsComponent && input.depth === 0;
  if (schema.description && !ownPage) facts.push(`<div class="description">${description(schema.description, context.up)}</div>`);
  const list: string[] = [];
  if (Array.isArray(schema.enum)) list.push(`one of ${schema.enum.map((value: unknown) => `<code>${escapeText(JSON.stringify(value))}</code>`).join(", ")}`);
  if ("const" in schema) list.push(`always <code>${escapeText(JSON.stringify(schema.const))}</code>`);
  if ("default" in schema) list.push(`default <code>${escapeText(JSON.stringify(schema.default))}</code>`);
  for (const key of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems"]) {
    if (key in schema && typeof schema[key] !== "boolean") list.push(`${key} <code>${escapeText(schema[key])}</code>`);
  }
  if (schema.readOnly) list.push("read-only");
  if (schema.writeOnly) list.push("write-only");
  if (schema.deprecated) list.push("deprecated");
  if (schema.example !== undefined) list.push(`example <code>${escapeText(JSON.stringify(schema.example))}</code>`);
  if (schema.discriminator?.propertyName) list.push(`discriminated by <code>${escapeHtml(schema.discriminator.propertyName)}</code>`);
  if (list.length) facts.push(`<p class="facts">${list.join(" · ")}</p>`);
  return facts.join("");
}

/** Where merged properties came from: "Includes Base, Timestamps". */
function includesOf(context: TreeContext, refs: string[]): string {
  if (!refs.length) return "";
  const names = [...new Set(refs)].map((ref) => schemaLink(context, ref, refName(ref)));
  return `<p class="facts">Includes ${names.join(", ")}</p>`;
}

function childrenOf(context: TreeContext, schema: Record<string, any>, input: NodeInput): string {
  const depth = input.depth + 1;
  const parts: string[] = [];
  for (const keyword of ["oneOf", "anyOf"] as const) {
    if (!Array.isArray(schema[keyword])) continue;
    const title = keyword === "oneOf" ? "One of" : "Any of";
    const names = schema[keyword].map((variant: unknown) => variantName(context.document, variant, schema));
    const variants = schema[keyword]
      .map((variant: unknown, index: number) => {
        // Two variants of one name (two objects) are told apart by their place.
        const name = names.indexOf(names[index]) === names.lastIndexOf(names[index]) ? names[index] : `${names[index]} (${index + 1})`;
        // A name the heading shows anyway (its component's, its type) is not said twice.
        const shown =
          variant && typeof variant === "object"
            ? typeof (variant as any).$ref === "string"
              ? refName((variant as any).$ref)
              : typeName(context.document, variant as Record<string, any>)
            : "";
        const label = name === shown ? undefined : name;
        return `<li>${node(context, variant, { label, required: false, depth, stack: input.stack, nullable: false })}</li>`;
      })
      .join("");
    parts.push(`<div class="variants"><span class="variants-title">${title}</span><ul>${variants}</ul></div>`);
  }
  if (schema.properties && typeof schema.properties === "object") {
    const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
    const items = Object.entries(schema.properties)
      .map(([name, value]) => `<li>${node(context, value, { label: name, required: required.has(name), depth, stack: input.stack, nullable: false })}</li>`)
      .join("");
    parts.push(`<ul>${items}</ul>`);
  }
  if (schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
    parts.push(`<ul><li>${node(context, schema.items, { label: "[item]", required: false, depth, stack: input.stack, nullable: false })}</li></ul>`);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    parts.push(
      `<ul><li>${node(context, schema.additionalProperties, { label: "[key]", required: false, depth, stack: input.stack, nullable: false })}</li></ul>`,
    );
  }
  return parts.join("");
}
