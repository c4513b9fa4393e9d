/**
 * @module
 * data.ts of the generated app: the instances' prepared data too large to
 * write inline, one function each, called when an operation's first request
 * sets its instance up.
 */
import type { CodeRef } from "../../builtin-descriptor.ts";
import { compact } from "./emit-literal.ts";
import { PACK_DATA_FROM, packedData, packText } from "./packed-text.ts";

/** From this size on, data is written as a JSON.parse of a string: V8 parses JSON faster than an object literal. */
const JSON_PARSE_FROM = 10_000;

/** One function of data.ts: its name, its data, and that data as JSON when it holds no code (it may then be packed). */
export interface DataEntry {
  name: string;
  item: unknown;
  json?: string;
}

/** The module; `reference` names a code reference, `runtimeModule` is src/runtime/packed-text.ts as the module imports it. */
export function dataModule(header: string, data: DataEntry[], reference: (ref: CodeRef) => string, runtimeModule: string): string {
  const packing = packedData(data);
  const functions = data.map(({ name, item, json }) => {
    const made = packing.has(name) ? `JSON.parse(inflateText("${packText(json!)}"))` : compact(item, reference, JSON_PARSE_FROM);
    return `export function ${name}() {\n  return ${made};\n}`;
  });
  const packed =
    packing.size > 0
      ? `// Data of ${PACK_DATA_FROM / 1000} kB and more without code in it is packed (deflated and base64-encoded): it costs start-up less.
import { inflateText } from ${runtimeModule};
`
      : "";
  return `${header}
// Data the app's instances read: mock answers, validation rules and other document data too large to
// write inline, in the form V8 reads fastest (JSON, and JSON.parse of a string from ${JSON_PARSE_FROM / 1000} kB on),
// each made when an operation's first request sets its instance up.
${packed}import * as validators from "./validators.ts";
import * as responseValidators from "./response-validators.ts";

${functions.join("\n")}
export {};
`;
}
