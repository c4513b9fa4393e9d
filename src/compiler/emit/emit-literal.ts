/**
 * @module
 * JSON values as JavaScript a person would write: short values on one line,
 * longer ones one item per line, keys bare where they can be, and code
 * references (validators, modules) as the names the emitter gave them.
 */
import { CodeRef } from "../../builtin-descriptor.ts";

/** Lines of generated code stay within this width where the data allows. */
const WIDTH = 120;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `__proto__` as a plain key would set the prototype: written computed, it is an own property. */
function key(name: string): string {
  if (name === "__proto__") return '["__proto__"]';
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** The kinds of code reference a value holds anywhere. */
export function codeIn(value: unknown, found = new Set<CodeRef["kind"]>()): Set<CodeRef["kind"]> {
  if (value instanceof CodeRef) found.add(value.kind);
  else if (Array.isArray(value)) for (const item of value) codeIn(item, found);
  else if (value !== null && typeof value === "object") for (const item of Object.values(value)) codeIn(item, found);
  return found;
}

/**
 * `value` as compact source, for data modules: JSON where it can be (V8's
 * JSON-like fast path), code references as names, and from `parseFrom`
 * characters on (without references) a JSON.parse of a string, which V8 reads
 * faster still.
 */
export function compact(value: unknown, reference: (ref: CodeRef) => string, parseFrom: number): string {
  const json = JSON.stringify(value) ?? "undefined";
  if (codeIn(value).size === 0) return json.length >= parseFrom || json.includes('"__proto__"') ? `JSON.parse(${JSON.stringify(json)})` : json;
  const write = (item: unknown): string => {
    if (item instanceof CodeRef) return reference(item);
    if (Array.isArray(item)) return `[${item.map(write).join(",")}]`;
    if (item === null || typeof item !== "object") return JSON.stringify(item) ?? "undefined";
    const members = Object.entries(item).filter(([, member]) => member !== undefined);
    return `{${members.map(([name, member]) => `${name === "__proto__" ? '["__proto__"]' : JSON.stringify(name)}:${write(member)}`).join(",")}}`;
  };
  return write(value);
}

/**
 * `value` as source, starting at column `indent`; `reference` names a code
 * reference. Undefined members are left out, as JSON.stringify does.
 */
export function literal(value: unknown, reference: (ref: CodeRef) => string, indent = 0): string {
  if (value instanceof CodeRef) return reference(value);
  if (typeof value === "string" && value.length > WIDTH) return longString(value, indent);
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  const pad = " ".repeat(indent + 2);
  const isArray = Array.isArray(value);
  const items = isArray
    ? value.map((item) => literal(item, reference, indent + 2))
    : Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([name, item]) => `${key(name)}: ${literal(item, reference, indent + 2)}`);
  const [open, close] = isArray ? ["[", "]"] : ["{ ", " }"];
  if (items.length === 0) return isArray ? "[]" : "{}";
  const flat = `${open}${items.join(", ")}${close}`;
  if (!flat.includes("\n") && indent + flat.length <= WIDTH) return flat;
  return `${open.trim()}\n${items.map((item) => `${pad}${item},`).join("\n")}\n${" ".repeat(indent)}${close.trim()}`;
}

/** A long string as a sum of pieces, one a line (a split surrogate pair is joined again by the sum). */
function longString(value: string, indent: number): string {
  const pieces: string[] = [];
  for (let at = 0; at < value.length; at += WIDTH / 2) pieces.push(JSON.stringify(value.slice(at, at + WIDTH / 2)));
  return pieces.join(` +\n${" ".repeat(indent + 2)}`);
}
