/**
 * @module
 * Turns Ajv's standalone output into the module the Worker imports: its
 * run-time helpers swapped for ours (src/runtime/formats), two repairs, and
 * ESM imports in place of the CommonJS requires it still emits in ESM mode.
 */

import { FAILURE_NAME, withSharedFailures } from "./shared-failures.ts";

/** The names the generated code calls src/runtime/formats' exports by, unlikely to meet one of Ajv's. */
export const FORMATS_NAME = "porticoFormats";
export const REGEXP_NAME = "porticoRegExp";
const EQUAL_NAME = "porticoEqual";
const LENGTH_NAME = "porticoLength";

const LINEAR_NAME = "porticoLinearRegExp";

/**
 * Ajv's standalone code, made into an ES module's imports and body.
 * `runtimeImport` is the specifier of src/runtime/formats/index.ts as seen
 * from where the module is written. `linear`: RE2's spelling of the patterns
 * that run on the linear-time engine, by the pattern as written.
 */
export function moduleOf(source: string, runtimeImport: string, linear: ReadonlyMap<string, string> = new Map()): { imports: string[]; body: string } {
  const { imports, body } = withEsmImports(repaired(source));
  const names = `formats as ${FORMATS_NAME}, regExp as ${REGEXP_NAME}, equal as ${EQUAL_NAME}, length as ${LENGTH_NAME}, failure as ${FAILURE_NAME}`;
  const engines = withLinearPatterns(body, linear);
  const linearImport = `import { linearRegExp as ${LINEAR_NAME} } from ${JSON.stringify(runtimeImport.replace(/index\.ts$/, "linear-reg-exp.ts"))};`;
  return {
    imports: [`import { ${names} } from ${JSON.stringify(runtimeImport)};`, ...(engines.used ? [linearImport] : []), ...imports],
    body: engines.body,
  };
}

/**
 * Ajv writes each pattern as `const patternN = funcM("<pattern>", "u")`, funcM
 * being the RegExp maker; those in `linear` are made by the linear-time
 * engine's instead, from their RE2 spelling. The engine's module is imported
 * only by validators that have such a pattern.
 */
function withLinearPatterns(body: string, linear: ReadonlyMap<string, string>): { body: string; used: boolean } {
  const maker = new RegExp(`\\bconst (func\\d+) = ${REGEXP_NAME};`).exec(body)?.[1];
  if (!maker || linear.size === 0) return { body, used: false };
  let used = false;
  const call = new RegExp(`\\b${maker}\\(("(?:[^"\\\\]|\\\\.)*"), "u?"\\)`, "g");
  const rewritten = body.replace(call, (whole, literal: string) => {
    const source = linear.get(JSON.parse(literal) as string);
    if (source === undefined) return whole;
    used = true;
    return `${LINEAR_NAME}(${JSON.stringify(source)})`;
  });
  return { body: rewritten, used };
}

/**
 * Ajv's run-time helpers replaced by ours, and two repairs
 * of its output, each for input a client can send. Its deep equality throws
 * on `{"toString": ""}`: ours does not. And with
 * unevaluatedProperties, a `propsN` object may be created only in a branch
 * (of if/then, for one) that did not run, and a later keyword then sets a key
 * on undefined: it is created there too (undefined and {} mean the same to
 * every reader of it: nothing evaluated).
 */
function repaired(source: string): string {
  return compacted(source)
    .replaceAll('require("ajv/dist/runtime/equal").default', EQUAL_NAME)
    .replaceAll('require("ajv/dist/runtime/ucs2length").default', LENGTH_NAME)
    .replace(/(?<=[;{}])(props\d+)(\[[^\]]+\]|\.[\w$]+) = true;/g, "($1 ||= {})$2 = true;");
}

/**
 * Ajv writes out each failure's push onto the error list in full, and each error's place in the
 * schema, which nothing in the Worker reads (a problem names the place in the request): written
 * short and left out, a large document's validators are a fifth smaller, and the Worker parses
 * them at every start-up.
 */
function compacted(source: string): string {
  const pushed = source
    .replace(/if\(vErrors === null\)\{vErrors = \[(err\d+)\];\}else \{vErrors\.push\(\1\);\}/g, "(vErrors ??= []).push($1);")
    .replace(/,schemaPath:"(?:[^"\\]|\\.)*"/g, "");
  return withSharedFailures(pushed);
}

/**
 * Ajv's standalone code reaches any other run-time helper with a CommonJS
 * `require` (ajv/dist/runtime/validation_error for `$async` schemas, for one)
 * even in ESM mode: they become imports, resolved from where the module is.
 * A CommonJS module's exports object is the namespace's `default` in Node and
 * in esbuild's node mode, the namespace itself in esbuild's other mode:
 * `porticoCommonJs` finds it either way.
 */
function withEsmImports(source: string): { imports: string[]; body: string } {
  const modules = new Map<string, string>();
  const body = source.replace(/require\("([^"]+)"\)/g, (_, specifier: string) => {
    let name = modules.get(specifier);
    if (!name) modules.set(specifier, (name = `porticoCommonJs${modules.size}`));
    return name;
  });
  if (modules.size === 0) return { imports: [], body };
  const imports = [...modules].map(
    ([specifier, name]) => `import * as ${name}Namespace from ${JSON.stringify(/\.[cm]?js$/.test(specifier) ? specifier : `${specifier}.js`)};`,
  );
  const values = [...modules.values()].map((name) => `const ${name} = porticoCommonJs(${name}Namespace);`);
  const helper =
    "function porticoCommonJs(namespace) {\n  const exports = namespace.default;\n  return exports && exports.__esModule ? exports : namespace;\n}";
  return { imports, body: [helper, ...values, body].join("\n") };
}
