/**
 * @module
 * JSON values as JavaScript a person would write: short values on one line,
 * longer ones one item per line, keys bare where they can be, and code
 * references (validators, modules) as the names the emitter gave them.
 */
import { CodeRef } from "../descriptor.ts";

/** Lines of generated code stay within this width where the data allows. */
const WIDTH = 120;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `__proto__` as a plain key would set the prototype: written computed, it is an own property. */
function key(name: string): string {
  if (name === "__proto__") return '["__proto__"]';
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** Whether a value holds a code reference anywhere. */
export function holdsCode(value: unknown): boolean {
  if (value instanceof CodeRef) return true;
  if (Array.isArray(value)) return value.some(holdsCode);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsCode);
  return false;
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
