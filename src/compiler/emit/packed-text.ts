/**
 * @module
 * Text the generated app carries packed (src/runtime/packed-text.ts): the
 * public document /openapi.json serves, and large mock answers. A long string
 * literal, escaped quotes and all, costs start-up time in every isolate; a
 * base64 string several times shorter (an eighth, for GitHub's description)
 * costs almost none, and is inflated by the few requests that read it.
 */
import { deflateRawSync } from "node:zlib";

/** From this size on, the public document is packed. */
const PACK_DOCUMENT_FROM = 100_000;
/** From this size on, prepared data without code references is packed... */
export const PACK_DATA_FROM = 1_000;
/** ...when there is this much of it: a small gateway would carry the inflater (8 kB) for little. */
const PACK_DATA_TOTAL_FROM = 100_000;

/** The names of the data functions whose data is packed: those of PACK_DATA_FROM on, if they add up to enough. */
export function packedData(data: Array<{ name: string; json?: string }>): Set<string> {
  const large = data.filter((entry) => entry.json !== undefined && entry.json.length >= PACK_DATA_FROM);
  const total = large.reduce((sum, entry) => sum + entry.json!.length, 0);
  return new Set(total >= PACK_DATA_TOTAL_FROM ? large.map((entry) => entry.name) : []);
}

/** `text` deflated and base64-encoded, as src/runtime/packed-text.ts inflates it. */
export function packText(text: string): string {
  return deflateRawSync(text, { level: 9 }).toString("base64");
}

/**
 * openapi.ts: the public document served at /openapi.json (x-portico removed), as a function that
 * gives its JSON text, served as is and parsed by no one in the Worker.
 */
export function publicSpecModule(header: string, json: string, runtimeModule: string): string {
  if (json.length < PACK_DOCUMENT_FROM) {
    return `${header}\n// The public document served at /openapi.json (x-portico removed), as JSON text.\nexport default (): string => ${JSON.stringify(json)};\n`;
  }
  return `${header}
// The public document served at /openapi.json (x-portico removed): ${Math.round(json.length / 1000)} kB of JSON text,
// deflated and base64-encoded, and inflated on the first request for it.
import { packedText } from ${runtimeModule};

export default packedText("${packText(json)}");
`;
}
