/**
 * @module
 * Names in the generated app: JavaScript identifiers each taken once (never
 * a reserved word), a module's name from its path, and the relative
 * specifier one generated module imports another by.
 */
import { dirname, relative } from "node:path";

/** `per-consumer` → `perConsumer`, `GetThing` → `getThing`: a JavaScript identifier's part. */
export const camel = (text: string) => {
  const joined = text.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? "").toUpperCase()).replace(/^[^A-Za-z_$]+/, "");
  return joined.charAt(0).toLowerCase() + joined.slice(1);
};

/**
 * Words no binding may take (ECMAScript's reserved words, and the names strict code may not bind):
 * a policy in `policies/const.ts` or `policies/default.ts` is imported as `const2`, `default2`.
 */
const RESERVED = (
  "await break case catch class const continue debugger default delete do else enum export extends false finally for function " +
  "if implements import in instanceof interface let new null package private protected public return static super switch this " +
  "throw true try typeof var void while with yield arguments eval undefined globalThis"
).split(" ");

/** Identifiers, each given once. */
export class Names {
  #taken = new Set(["createGateway", "userModule", "validators", "responseValidators", "data", "publicSpec", "paths", "admin", ...RESERVED]);
  take(wanted: string): string {
    const base = wanted || "value";
    let name = base;
    for (let n = 2; this.#taken.has(name); n++) name = `${base}${n}`;
    this.#taken.add(name);
    return name;
  }
}

export function importPath(from: string, to: string): string {
  const rel = relative(dirname(from), to).replaceAll("\\", "/");
  return rel.startsWith(".") ? rel : "./" + rel;
}

/** A name for a module from its path: the built-in folder's name, or a user module's file name. */
export function moduleBaseName(file: string): string {
  const parts = file.replaceAll("\\", "/").split("/");
  const last = parts.at(-1)!.replace(/\.[cm]?[jt]s$/, "");
  return camel(last === "index" ? parts.at(-2)! : last);
}
