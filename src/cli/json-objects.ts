/**
 * @module
 * A stream of JSON objects written one after another, each on one line or
 * pretty-printed over many (as `wrangler tail --format json` prints its
 * events), cut into whole objects whatever the chunks it arrives in. Text
 * between objects comes out line by line, so no message of wrangler's is lost.
 */

export type Piece = { object: unknown } | { text: string };

/** Reads chunks as they come, giving back each whole object and each line of text between them. */
export function jsonObjectReader(): { push(chunk: string): Piece[]; end(): Piece[] } {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let current = "";
  let stray = "";
  const strayPiece = (): Piece[] => {
    const text = stray.trim();
    stray = "";
    return text ? [{ text }] : [];
  };
  return {
    push(chunk) {
      const pieces: Piece[] = [];
      for (const char of chunk) {
        if (depth === 0) {
          if (char === "{") {
            pieces.push(...strayPiece());
            depth = 1;
            current = char;
          } else if (char === "\n") pieces.push(...strayPiece());
          else stray += char;
          continue;
        }
        current += char;
        if (inString) {
          if (escaped) escaped = false;
          else if (char === "\\") escaped = true;
          else if (char === '"') inString = false;
        } else if (char === '"') inString = true;
        else if (char === "{" || char === "[") depth++;
        else if ((char === "}" || char === "]") && --depth === 0) {
          try {
            pieces.push({ object: JSON.parse(current) });
          } catch {
            pieces.push({ text: current });
          }
          current = "";
        }
      }
      return pieces;
    },
    /** What is left: text after the last object; an object cut off (wrangler stopped mid-print) cannot be read, and is dropped. */
    end() {
      current = "";
      depth = 0;
      inString = false;
      escaped = false;
      return strayPiece();
    },
  };
}
