/**
 * @module
 * Bracketed field names, the convention of qs, Rails and PHP that SDKs send
 * (and OpenAPI's deepObject style writes): `a[b][0][]` is the property `a`
 * and the path `b`, `0`, ``. Names are split after percent-decoding, so
 * `a%5Bb%5D` and `a[b]` are the same field.
 */
import { escapeToken, FormError } from "./form-tree.ts";

export interface SplitName {
  property: string;
  path: string[];
}

/**
 * The property and path of a bracketed name; `undefined` for a name of any
 * other shape (`a[b`, `a[b]c`, `[a]`), which is a name as a whole. A path
 * deeper than `maxDepth` is a FormError, found after at most `maxDepth + 1`
 * segments however long the name is.
 */
export function splitName(name: string, maxDepth: number): SplitName | undefined {
  const open = name.indexOf("[");
  if (open <= 0 || !name.endsWith("]")) return undefined;
  const property = name.slice(0, open);
  const path: string[] = [];
  for (let at = open; at < name.length;) {
    if (name[at] !== "[") return undefined;
    const close = name.indexOf("]", at + 1);
    const segment = name.slice(at + 1, close);
    if (segment.includes("[")) return undefined;
    if (path.length === maxDepth) throw new FormError(`/${escapeToken(property)}`, `nests deeper than ${maxDepth} levels`);
    path.push(segment);
    at = close + 1;
  }
  return { property, path };
}
