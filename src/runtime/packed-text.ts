/**
 * @module
 * Large text the build writes into the Worker that few requests read (the
 * public document /openapi.json serves, mock answers): deflated and
 * base64-encoded, so the bundle carries a short ASCII string V8 scans in no
 * time at start-up, and inflated where it is read. A 7 MB JSON string literal
 * costs GitHub's description over 100 ms of start-up; its packed form, a few.
 *
 * fflate inflates synchronously: the Workers' DecompressionStream is a
 * stream, and a route table's value is read where no promise can be awaited.
 */
import { inflateSync, strFromU8 } from "fflate";

/** The text `base64` packs (raw deflate, then base64). */
export function inflateText(base64: string): string {
  return strFromU8(inflateSync(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))));
}

/** The text `base64` packs, made on the first call and kept. */
export function packedText(base64: string): () => string {
  let text: string | undefined;
  return () => (text ??= inflateText(base64));
}
