/**
 * @module
 * The fields of a form-urlencoded or multipart body read into one object, per
 * the media type's Encoding Object (OpenAPI 3.1 §4.8.15): each property by its
 * `style` and `explode`, or as a JSON document when its `contentType` says so.
 *
 * Bracketed names (`metadata[plan]=pro`, `items[0][price]=…`, `expand[]=tax`)
 * nest into any property but one that takes a single delimited or JSON value:
 * qs, Rails and PHP write them whatever the document says, Stripe's SDK among
 * them. A repeated name makes a list, and an object-typed value that starts
 * with `{` is JSON, the contentType OpenAPI gives objects by default.
 */
import { parseJson } from "../../runtime/validation/json-guard.ts";
import { propertyCoercion } from "./coerce.ts";
import { splitName } from "./form-keys.ts";
import { escapeToken, finishTree, FormError, type FormLimits, placeValue, type Tree } from "./form-tree.ts";
import type { Coercion } from "./parameters.ts";

/** One property's Encoding Object, with OpenAPI's defaults filled in at build time. */
export interface FieldEncoding {
  style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  explode: boolean;
  /** The value is a JSON document: its contentType is JSON and no style is given. */
  json?: boolean;
  /** Multipart: the media ranges its file parts may be sent as. */
  partTypes?: string[];
}

/** What the build works out for a form or multipart body. */
export interface FormRule {
  /** Property types, for fields (which arrive as strings). */
  coerce?: Coercion;
  encoding?: Record<string, FieldEncoding>;
  /**
   * Members of object properties written in form style with explode (`city=Cork`
   * for `address`), which stand at the top level: member name → property.
   */
  members?: Record<string, string>;
}

/** How the fields' raw values are written. */
export interface FieldSyntax {
  /** Percent-decoding (urlencoded) or nothing (multipart); `pointer` says where a bad value is. */
  decode: (raw: string, pointer: string) => string;
  /** Whether values are percent-encoded, so that `%20` and `%7C` delimit too. */
  percentEncoded: boolean;
}

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;

/** A property that takes exactly one raw value: a JSON document, or a delimited list or object. */
const takesOneValue = (encoding: FieldEncoding | undefined) =>
  encoding !== undefined && (encoding.json === true || (encoding.style !== "deepObject" && !encoding.explode));

/** The body's value: a null-prototype object with one member per property sent. Throws FormError. */
export function readForm(fields: Iterable<readonly [string, string]>, rule: FormRule, syntax: FieldSyntax, limits: FormLimits): Record<string, unknown> {
  const root = new Map<string, Tree>();
  const single = new Map<string, string[]>();
  for (const [name, raw] of fields) {
    let property = name;
    let path: string[] = [];
    const declared = own(rule.coerce?.properties, name) !== undefined;
    const owner = declared ? undefined : own(rule.members, name);
    if (owner !== undefined) {
      property = owner;
      path = [name];
    } else if (!declared) {
      const split = splitName(name, limits.maxDepth);
      if (split && !takesOneValue(own(rule.encoding, split.property))) ({ property, path } = split);
    }
    const pointer = `/${escapeToken(property)}`;
    if (takesOneValue(own(rule.encoding, property))) {
      const values = single.get(property);
      if (values) values.push(raw);
      else single.set(property, [raw]);
      continue;
    }
    root.set(property, placeValue(root.get(property), path, syntax.decode(raw, pointer), propertyCoercion(rule.coerce, property), pointer, limits));
  }
  const out: Record<string, unknown> = Object.create(null);
  for (const [property, tree] of root) {
    const coercion = propertyCoercion(rule.coerce, property);
    out[property] = typeof tree === "string" && looksLikeJsonObject(tree, coercion) ? jsonOrText(tree) : finishTree(tree, coercion);
  }
  for (const [property, raws] of single) {
    const pointer = `/${escapeToken(property)}`;
    if (raws.length > 1) throw new FormError(pointer, `is given ${raws.length} times; it takes one value`);
    const encoding = rule.encoding![property];
    const coercion = propertyCoercion(rule.coerce, property);
    out[property] = encoding.json ? jsonField(syntax.decode(raws[0], pointer), pointer) : delimited(raws[0], encoding, coercion, syntax, pointer, limits);
  }
  return out;
}

/** OpenAPI's default contentType for an object property is application/json. */
function looksLikeJsonObject(text: string, coercion: Coercion | undefined): boolean {
  const types = coercion?.types ?? [];
  return types.includes("object") && !types.includes("array") && text.trimStart().startsWith("{");
}

/** A text that is no JSON stays text: the schema then says what it must be. */
function jsonOrText(text: string): unknown {
  const parsed = parseJson(text);
  return "value" in parsed ? parsed.value : text;
}

function jsonField(text: string, pointer: string): unknown {
  const parsed = parseJson(text);
  if ("value" in parsed) return parsed.value;
  throw new FormError(pointer, parsed.malformed ? "is not valid JSON" : parsed.error);
}

/** Delimiters of non-exploded values, matched before percent-decoding: an encoded delimiter is data. */
const DELIMITERS: Record<FieldEncoding["style"], { encoded: RegExp | string; plain: string }> = {
  form: { encoded: ",", plain: "," },
  spaceDelimited: { encoded: /%20|\+| /i, plain: " " },
  pipeDelimited: { encoded: /%7C|\|/i, plain: "|" },
  deepObject: { encoded: ",", plain: "," },
};

/** `a=x,y` (form), `a=x%20y` (spaceDelimited), `a=x|y` (pipeDelimited): a list, or an object written as name,value pairs. */
function delimited(raw: string, encoding: FieldEncoding, coercion: Coercion | undefined, syntax: FieldSyntax, pointer: string, limits: FormLimits): unknown {
  const delimiter = DELIMITERS[encoding.style][syntax.percentEncoded ? "encoded" : "plain"];
  const parts = raw === "" ? [] : raw.split(delimiter, limits.maxIndex + 2);
  if (parts.length > limits.maxIndex + 1) throw new FormError(pointer, `has more items than the limit of ${limits.maxIndex + 1}`);
  const values = parts.map((part) => syntax.decode(part, pointer));
  const types = coercion?.types ?? [];
  if (types.includes("object") && !types.includes("array")) {
    if (values.length % 2 !== 0) throw new FormError(pointer, "must list names and values in pairs, as R,100,G,200");
    const members = new Map<string, Tree>();
    for (let i = 0; i < values.length; i += 2) {
      if (members.has(values[i])) throw new FormError(pointer, `has "${values[i].slice(0, 40)}" more than once`);
      members.set(values[i], values[i + 1]);
    }
    return finishTree(members, coercion);
  }
  if (!types.includes("array") && values.length === 1) return finishTree(values[0], coercion);
  return finishTree(values, coercion);
}
