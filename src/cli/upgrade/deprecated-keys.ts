/**
 * @module
 * Finds deprecated x-portico keys in an OpenAPI document (YAML or JSON) and
 * renames them. The yaml package's Document API locates each key; the rename
 * replaces only the key's own characters in the source text, so comments,
 * order, quoting and layout (JSON's included) stay exactly as written.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Scalar, type YAMLMap } from "yaml";
import { DEPRECATIONS, type Deprecation, type DeprecationPlace } from "./deprecations.ts";

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

export interface DeprecatedKey {
  deprecation: Deprecation;
  /** JSON pointer of the key in the document. */
  pointer: string;
  /** 1-based line of the key. */
  line: number;
  /** Whether `portico migrate` renames it: a new spelling exists and the object does not already hold it. */
  mechanical: boolean;
  /** The key's node, for the rename. */
  key: Scalar;
}

interface Site {
  map: YAMLMap;
  pointer: string;
  place: DeprecationPlace;
}

const escape = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
const child = (map: unknown, key: string) => (isMap(map) ? map.get(key, true) : undefined);

/** The objects a deprecated key can sit in: the three x-portico places, and the options of every `{ use, options }` under them. */
function sites(doc: Document): Site[] {
  const found: Site[] = [];
  const extension = (node: unknown, pointer: string, place: DeprecationPlace) => {
    if (!isMap(node)) return;
    found.push({ map: node, pointer, place });
    optionSites(node, pointer, found);
  };
  extension(child(doc.contents, "x-portico"), "/x-portico", "root");
  const paths = child(doc.contents, "paths");
  for (const path of isMap(paths) ? paths.items : []) {
    for (const operation of isMap(path.value) ? path.value.items : []) {
      const method = String(isScalar(operation.key) ? operation.key.value : "");
      if (!METHODS.has(method)) continue;
      extension(child(operation.value, "x-portico"), `/paths/${escape(String((path.key as Scalar).value))}/${method}/x-portico`, "operation");
    }
  }
  const schemes = child(child(doc.contents, "components"), "securitySchemes");
  for (const scheme of isMap(schemes) ? schemes.items : []) {
    extension(child(scheme.value, "x-portico"), `/components/securitySchemes/${escape(String((scheme.key as Scalar).value))}/x-portico`, "scheme");
  }
  return found;
}

function optionSites(node: unknown, pointer: string, found: Site[]): void {
  if (isSeq(node)) node.items.forEach((item, i) => optionSites(item, `${pointer}/${i}`, found));
  if (!isMap(node)) return;
  const use = child(node, "use");
  const options = child(node, "options");
  if (isScalar(use) && typeof use.value === "string" && isMap(options)) {
    found.push({ map: options, pointer: `${pointer}/options`, place: { options: use.value } });
  }
  for (const pair of node.items) {
    if (isScalar(pair.key) && pair.key.value !== "options") optionSites(pair.value, `${pointer}/${escape(String(pair.key.value))}`, found);
  }
}

const samePlace = (a: DeprecationPlace, b: DeprecationPlace) => (typeof a === "string" || typeof b === "string" ? a === b : a.options === b.options);

/** Every deprecated key of the document, in the order written. */
export function findDeprecatedKeys(text: string, table: readonly Deprecation[] = DEPRECATIONS): DeprecatedKey[] {
  if (table.length === 0) return [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true });
  const found: DeprecatedKey[] = [];
  for (const site of sites(doc)) {
    for (const deprecation of table.filter((entry) => samePlace(entry.in, site.place))) {
      const pair = site.map.items.find((item) => isScalar(item.key) && item.key.value === deprecation.from);
      if (!pair) continue;
      const key = pair.key as Scalar;
      const mechanical = deprecation.to !== undefined && !site.map.has(deprecation.to);
      found.push({ deprecation, pointer: `${site.pointer}/${escape(deprecation.from)}`, line: lines.linePos(key.range![0]).line, mechanical, key });
    }
  }
  return found.sort((a, b) => a.key.range![0] - b.key.range![0]);
}

/** The key written the way the old one was: quoted alike, so JSON stays JSON. */
function spell(key: Scalar, name: string): string {
  if (key.type === "QUOTE_DOUBLE") return JSON.stringify(name);
  if (key.type === "QUOTE_SINGLE") return `'${name.replaceAll("'", "''")}'`;
  return name;
}

/** The document with every mechanical rename applied, and the keys renamed and left for a person. */
export function renameDeprecatedKeys(text: string, table: readonly Deprecation[] = DEPRECATIONS) {
  const found = findDeprecatedKeys(text, table);
  const renamed = found.filter((key) => key.mechanical);
  let result = text;
  // From the end, so earlier offsets stay true.
  for (const { key, deprecation } of [...renamed].reverse()) {
    const [start, end] = key.range!;
    result = result.slice(0, start) + spell(key, deprecation.to!) + result.slice(end);
  }
  return { text: result, renamed, left: found.filter((key) => !key.mechanical) };
}
