/**
 * @module
 * The OpenAPI document as the validator compiler gives it to Ajv: the same
 * schemas at the same pointers, without what no validator reads, and with
 * every `$ref` pointing at one schema of those that say the same thing, so
 * that each is compiled into one function.
 */
import { pointerOf, tokensOf } from "../errors.ts";

/**
 * Keys no validator reads: dropped from the schemas Ajv compiles, since its
 * output carries each schema's JSON. Example values may also hold `$id`s and
 * `$anchor`s that Ajv would take for the schema's own. (`$async` is Ajv's,
 * not JSON Schema's: it would make validators return promises.)
 */
export const ANNOTATIONS = new Set([
  "description",
  "title",
  "summary",
  "example",
  "examples",
  "$comment",
  "externalDocs",
  "xml",
  "discriminator",
  "deprecated",
  "nullable",
  "$async",
]);
/** Values that are data: copied as they are. */
export const DATA_KEYS = new Set(["enum", "const", "default"]);
/** Maps whose keys are names chosen by the author: a property may well be called "description". */
export const NAME_MAPS = new Set([
  ...["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"],
  ...["paths", "webhooks", "schemas", "parameters", "responses", "requestBodies", "headers", "links", "callbacks", "pathItems", "content", "encoding"],
]);

/** The JSON pointer a "#/..." $ref names (a malformed %-escape is read as written). */
function pointerOfRef(ref: string): string {
  let fragment = ref.slice(1);
  try {
    fragment = decodeURIComponent(fragment);
  } catch {
    // Kept as written: the $ref then names nothing, and Ajv says so.
  }
  return pointerOf(...tokensOf(fragment));
}

/** Every internal $ref target of the document and every pointer above one. */
function refTargets(node: unknown, into = new Set<string>()): Set<string> {
  if (node === null || typeof node !== "object") return into;
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/")) {
      const tokens = tokensOf(pointerOfRef(value));
      for (let n = 1; n <= tokens.length; n++) into.add(pointerOf(...tokens.slice(0, n)));
    } else refTargets(value, into);
  }
  return into;
}

/** The document as Ajv gets it: annotations out, except where a $ref points into them. */
function withoutAnnotations(node: unknown, pointer: string, targets: Set<string>, keysAreNames = false): unknown {
  if (Array.isArray(node)) return node.map((item, i) => withoutAnnotations(item, `${pointer}/${i}`, targets));
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const at = pointer + pointerOf(key);
    if (!keysAreNames && (ANNOTATIONS.has(key) || key.startsWith("x-")) && !targets.has(at)) continue;
    out[key] = !keysAreNames && DATA_KEYS.has(key) ? value : withoutAnnotations(value, at, targets, !keysAreNames && NAME_MAPS.has(key));
  }
  return out;
}

/** The value at a JSON pointer, and the `$id`s met on the way (they change what `$ref`s inside mean). */
export function locate(document: unknown, pointer: string): { node: unknown; ids: string[] } {
  let node: any = document;
  const ids: string[] = [];
  for (const token of tokensOf(pointer)) {
    if (node === null || typeof node !== "object" || !(token in node)) return { node: undefined, ids };
    node = node[token];
    if (node && typeof node === "object" && typeof node.$id === "string") ids.push(node.$id);
  }
  return { node, ids };
}

/** Where `{ "$ref": "#/..." }` chains end: a schema that is only an alias of another compiles as that one. */
export function followAliases(document: unknown, pointer: string): string {
  const seen = new Set<string>([pointer]);
  for (;;) {
    const { node, ids } = locate(document, pointer);
    if (ids.length > 0 || node === null || typeof node !== "object" || Object.keys(node).length !== 1) return pointer;
    const ref = (node as Record<string, unknown>).$ref;
    if (typeof ref !== "string" || !ref.startsWith("#/")) return pointer;
    const target = pointerOfRef(ref);
    if (seen.has(target)) return pointer;
    seen.add(target);
    pointer = target;
  }
}

/** Objects holding a `$ref` to the document ("#/..."), outside any `$id` (under one, "#" means that resource). */
function refHolders(node: unknown, into: Array<Record<string, string>> = []): Array<Record<string, string>> {
  if (node === null || typeof node !== "object") return into;
  const object = node as Record<string, unknown>;
  if (typeof object.$id === "string") return into;
  if (typeof object.$ref === "string" && object.$ref.startsWith("#/")) into.push(object as Record<string, string>);
  for (const value of Object.values(object)) refHolders(value, into);
  return into;
}

/** Keys that make a schema's meaning depend on where it is, not only on its text. */
const PLACE_BOUND = /"\$(id|anchor|dynamicAnchor|recursiveAnchor)":/;

/**
 * Points every $ref at one schema of those with the same text (the first by
 * pointer), through alias chains: Ajv compiles one function per $ref target,
 * and large documents repeat schemas under several names. Same text, same
 * document, so same meaning; repeated until the rewritten texts settle.
 * Returns the pointer kept for each text.
 */
function mergeEqualTargets(document: unknown): Map<string, string> {
  const holders = refHolders(document);
  let firstByText = new Map<string, string>();
  for (let pass = 0; pass < 10; pass++) {
    const textOf = new Map<string, string | undefined>();
    firstByText = new Map<string, string>();
    const targets = holders.map((holder) => followAliases(document, pointerOfRef(holder.$ref)));
    for (const target of [...new Set(targets)].sort()) {
      const { node, ids } = locate(document, target);
      const text = JSON.stringify(node);
      if (ids.length > 0 || text === undefined || PLACE_BOUND.test(text)) continue;
      textOf.set(target, text);
      if (!firstByText.has(text)) firstByText.set(text, target);
    }
    let changed = false;
    holders.forEach((holder, i) => {
      const text = textOf.get(targets[i]);
      const ref = fragmentOf(text === undefined ? targets[i] : firstByText.get(text)!);
      if (holder.$ref !== ref) [holder.$ref, changed] = [ref, true];
    });
    if (!changed) break;
  }
  return firstByText;
}

/** A URI fragment for a JSON pointer, as a `$ref` in the document would write it. */
export function fragmentOf(pointer: string): string {
  return (
    "#" +
    pointer
      .split("/")
      .map((token) => encodeURIComponent(token).replaceAll("%24", "$"))
      .join("/")
  );
}

export interface PreparedDocument {
  document: unknown;
  /** The pointer of the schema kept for each schema text (see mergeEqualTargets). */
  keptByText: Map<string, string>;
}

export function prepareDocument(document: unknown): PreparedDocument {
  const copy = withoutAnnotations(document, "", refTargets(document));
  return { document: copy, keptByText: mergeEqualTargets(copy) };
}
