/**
 * @module
 * Ajv writes every place a value can fail as an object literal and a push:
 * `const err3 = {instancePath:…,keyword:"type",params:{type: "string"},message:"must be string"};(vErrors ??= []).push(err3);errors++;`.
 * In a large document's validators those are half the module, which the
 * Worker parses at every start-up. Each becomes a call of the runtime's
 * `failure` (src/runtime/formats/failure.ts) with where it failed and what
 * it says; what it says is written once per module when it is the same
 * everywhere (a constant keyword, params and message), else in place.
 */

/** The name the generated code calls src/runtime/formats' `failure` by. */
export const FAILURE_NAME = "porticoFailure";

const SITE = /const (err\d+) = \{instancePath(?::(.+?))?,keyword:"(\w+)",params:(.+?),message:(.+?)\};\(vErrors \?\?= \[\]\)\.push\(\1\);errors\+\+;/g;

/** JavaScript string literals, as Ajv writes them (double-quoted, backslash escapes). */
const STRING = /"(?:[^"\\]|\\.)*"/g;

/** A message as Ajv writes it: string literals and names joined by `+`, and nothing after it (a `propertyName` field, for one). */
const MESSAGE = /^"(?:[^"\\]|\\.)*"(?:\s*\+\s*(?:"(?:[^"\\]|\\.)*"|[\w$.]+))*$/;

/**
 * Whether `code` is a whole expression as far as quotes and brackets tell: a piece cut at a
 * `,message:` inside a string literal (a property named so) is not, and its site stays as Ajv wrote it.
 */
function whole(code: string): boolean {
  const outside = code.replace(STRING, "0");
  if (outside.includes('"')) return false;
  let depth = 0;
  for (const character of outside) {
    if (character === "(" || character === "{" || character === "[") depth++;
    else if (character === ")" || character === "}" || character === "]") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/** Whether `code` is made of literals only (strings, numbers, object keys, `+` between strings): the same at every call. */
function constant(code: string): boolean {
  const outside = code
    .replace(STRING, "0")
    .replace(/[A-Za-z_$][\w$]*\s*:/g, ":")
    .replace(/\b(?:true|false|null)\b/g, "0");
  return /^[\s{}[\],:+\-.\deE]*$/.test(outside);
}

/** Ajv's module body with its failures written as calls, and the shared descriptions they name. */
export function withSharedFailures(body: string): string {
  const shared = new Map<string, string>();
  const rewritten = body.replace(SITE, (site, _name: string, path: string | undefined, keyword: string, params: string, message: string) => {
    if ((path !== undefined && !whole(path)) || !whole(params) || !MESSAGE.test(message)) return site;
    const description = `{keyword:"${keyword}",params:${params},message:${message}}`;
    let said = description;
    if (constant(params) && constant(message)) {
      said = shared.get(description) ?? `${FAILURE_NAME}${shared.size}`;
      shared.set(description, said);
    }
    return `vErrors = ${FAILURE_NAME}(vErrors, ${path ?? "instancePath"}, ${said});errors++;`;
  });
  if (shared.size === 0) return rewritten;
  const declarations = [...shared].map(([description, name]) => `const ${name} = ${description};\n`).join("");
  // After Ajv's "use strict" directive, which must stay first to be one.
  const directive = /^"use strict";/.exec(rewritten)?.[0] ?? "";
  return `${directive}${declarations}${rewritten.slice(directive.length)}`;
}
