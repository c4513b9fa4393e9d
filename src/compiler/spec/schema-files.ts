/**
 * @module
 * Names for the schemas a document keeps in files of their own. The bundler
 * inlines a file at the first place that refers to it (a pointer such as
 * /paths/~1exhibits/get/responses/200/content/application~1json/schema) and
 * points every other reference there, so the name the file gave its schema is
 * lost: the portal showed the example's exhibit as "schema", and DigitalOcean's
 * document, whose 1,000 schemas are all in files, as having none.
 *
 * As Redocly's bundler does, each schema file becomes a component named after
 * it (`exhibit.yaml`: `exhibit`; a pointer into a file of several,
 * `models.yaml#/Pet`: `Pet`). The entry declares it under components/schemas
 * before bundling, and json-schema-ref-parser inlines a file at the reference
 * closest to the root, which is that declaration.
 */
import { basename, dirname, relative, resolve, sep } from "node:path";
import { pointerOf, tokensOf } from "../errors.ts";
import type { SourceSet } from "./sources.ts";

type Mode = "document" | "schema";

/** Keywords whose value is a map of schemas, one schema, or a list of schemas (JSON Schema 2020-12 and draft 4's `definitions`). */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const SCHEMA_VALUES = new Set([
  ...["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames"],
  ...["unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema"],
]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
/** Data, not structure: examples may hold any key, `schema` included. */
const DATA = new Set(["example", "examples", "default", "enum", "const"]);

/**
 * The components to declare: name to the $ref the entry would write, in
 * order of name. Empty when every schema file is already declared by name.
 */
export function schemaFileComponents(sources: SourceSet): Map<string, string> {
  const entry = sources.entry;
  const root = sources.parse(entry).value as Record<string, any>;
  const declared: Record<string, any> = root.components?.schemas ?? {};
  const taken = new Set(Object.keys(declared));
  const named = new Map<string, string>();
  // A file the entry already declares keeps the name it has there.
  for (const [name, value] of Object.entries(declared)) {
    const target = typeof value?.$ref === "string" && !value.$ref.startsWith("#") ? targetOf(entry, value.$ref) : undefined;
    if (target) named.set(target.key, name);
  }
  const components = new Map<string, string>();
  const visited = new Set<string>();
  const queue: Array<{ file: string; node: unknown; mode: Mode }> = [{ file: entry, node: root, mode: "document" }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { file, node, mode } = next;
    if (node === null || typeof node !== "object") continue;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === "string") {
      const target = targetOf(file, ref);
      if (!target || target.file === entry || visited.has(`${mode}:${target.key}`)) continue;
      visited.add(`${mode}:${target.key}`);
      let value: unknown;
      try {
        value = target.tokens.reduce((at: any, token) => at?.[token], sources.parse(target.file).value);
      } catch {
        continue; // An unreadable file: the bundler reports it, located.
      }
      if (value === undefined) continue;
      const name = mode === "schema" && !named.has(target.key) ? nameOf(target.file, target.tokens) : undefined;
      if (name) {
        const unique = uniqueName(name, taken);
        named.set(target.key, unique);
        components.set(unique, refFrom(entry, target.file, target.tokens));
      }
      queue.push({ file: target.file, node: value, mode });
      continue;
    }
    for (const child of childrenOf(node as Record<string, any>, mode, node === root)) queue.push({ file, ...child });
  }
  return new Map([...components].sort(([a], [b]) => a.localeCompare(b)));
}

function childrenOf(node: Record<string, any>, mode: Mode, isRoot: boolean): Array<{ node: unknown; mode: Mode }> {
  if (Array.isArray(node)) return mode === "document" ? node.map((item) => ({ node: item, mode })) : [];
  const out: Array<{ node: unknown; mode: Mode }> = [];
  for (const [key, value] of Object.entries(node)) {
    if (value === null || typeof value !== "object" || key.startsWith("x-") || DATA.has(key)) continue;
    if (mode === "document") {
      if (key === "schema") out.push({ node: value, mode: "schema" });
      else if (isRoot && key === "components") {
        for (const [kind, group] of Object.entries(value as Record<string, any>)) {
          for (const item of Object.values(group ?? {})) out.push({ node: item, mode: kind === "schemas" ? "schema" : "document" });
        }
      } else out.push({ node: value, mode });
    } else if (SCHEMA_MAPS.has(key)) for (const item of Object.values(value)) out.push({ node: item, mode });
    else if (SCHEMA_VALUES.has(key)) for (const item of Array.isArray(value) ? value : [value]) out.push({ node: item, mode });
    else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) for (const item of value) out.push({ node: item, mode });
  }
  return out;
}

function targetOf(file: string, ref: string): { file: string; tokens: string[]; key: string } | undefined {
  const hash = ref.indexOf("#");
  const path = hash === -1 ? ref : ref.slice(0, hash);
  try {
    const target = path ? resolve(dirname(file), decodeURIComponent(path)) : file;
    const tokens = tokensOf(decodeURIComponent(hash === -1 ? "" : ref.slice(hash + 1)));
    return { file: target, tokens, key: `${target}#${pointerOf(...tokens)}` };
  } catch {
    return undefined; // A malformed $ref: the bundler reports it.
  }
}

/** A whole file is named after the file; a schema one level into a file (or under its definitions), after its key. */
function nameOf(file: string, tokens: string[]): string | undefined {
  let name: string | undefined;
  if (tokens.length === 0) name = basename(file).replace(/\.(ya?ml|json)$/i, "");
  else if (tokens.length === 1) name = tokens[0];
  else if (tokens.length === 2 && ["definitions", "$defs", "schemas"].includes(tokens[0])) name = tokens[1];
  else if (tokens.length === 3 && tokens[0] === "components" && tokens[1] === "schemas") name = tokens[2];
  // OpenAPI's component names: ^[a-zA-Z0-9.\-_]+$
  return name === undefined ? undefined : name.replace(/[^A-Za-z0-9._-]+/g, "_") || "schema";
}

function uniqueName(name: string, taken: Set<string>): string {
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}-${n}`;
  taken.add(unique);
  return unique;
}

function refFrom(entry: string, file: string, tokens: string[]): string {
  const path = relative(dirname(entry), file).split(sep).map(encodeURIComponent).join("/");
  const fragment = tokens.length
    ? `#${pointerOf(...tokens)
        .split("/")
        .map(encodeURIComponent)
        .join("/")}`
    : "";
  return `${path.startsWith(".") ? "" : "./"}${path}${fragment}`;
}

/** The entry with the components declared: a copy, since the bundler changes the object it is given. */
export function withSchemaComponents(entryValue: unknown, components: Map<string, string>): Record<string, any> {
  const copy = structuredClone(entryValue) as Record<string, any>;
  declareSchemaComponents(copy, components);
  return copy;
}

/**
 * Declares the components in the entry as the build read it, so that a
 * pointer under /components/schemas/<name> is located in the schema's file.
 */
export function declareSchemaComponents(entryValue: Record<string, any>, components: Map<string, string>): void {
  if (components.size === 0) return;
  entryValue.components ??= {};
  entryValue.components.schemas ??= {};
  for (const [name, ref] of components) entryValue.components.schemas[name] = { $ref: ref };
}
