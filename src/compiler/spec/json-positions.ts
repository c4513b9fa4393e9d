/**
 * @module
 * Where a JSON pointer is in a JSON file's text, without a syntax tree of the
 * whole file: the containers on the pointer's way are scanned member by
 * member, and what was passed is remembered, so the many lookups of a large
 * document cost about one pass over it. A YAML syntax tree of GitHub's 13 MB
 * description takes seconds and most of a gigabyte; JSON.parse gives no
 * positions.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

interface Container {
  /** Offset of the member (object: its key's quote; array: its value) and of its value, by key or index. */
  members: Map<string, { at: number; value: number }>;
  /** Where scanning goes on: the next member's start, or -1 once the container is read to its end. */
  next: number;
  /** Index of the next array element. */
  index: number;
  array: boolean;
}

export class JsonPositions {
  readonly #text: string;
  #lineStarts?: Int32Array;
  /** Containers by the offset of their opening bracket. */
  readonly #containers = new Map<number, Container>();

  constructor(text: string) {
    this.#text = text;
  }

  /**
   * Line and column (1-based) of the member at `tokens`, or of its nearest
   * ancestor that exists: an object member's key, an array element's value,
   * as the YAML reader reports them. 1:1 for the root.
   */
  position(tokens: string[]): { line: number; column: number } {
    let value = this.#skipSpace(0);
    let at = -1;
    for (const token of tokens) {
      const found = this.#member(value, token);
      if (!found) break;
      ({ at, value } = found);
    }
    return at < 0 ? { line: 1, column: 1 } : this.#lineColumn(at);
  }

  #member(start: number, token: string): { at: number; value: number } | undefined {
    const code = this.#text.charCodeAt(start);
    if (code !== OPEN_OBJECT && code !== OPEN_ARRAY) return undefined;
    let container = this.#containers.get(start);
    if (!container) {
      container = { members: new Map(), next: this.#skipSpace(start + 1), index: 0, array: code === OPEN_ARRAY };
      this.#containers.set(start, container);
    }
    const known = container.members.get(token);
    if (known || container.next < 0) return known;
    const text = this.#text;
    for (let offset = container.next; ;) {
      const code = text.charCodeAt(offset);
      if (code === CLOSE_OBJECT || code === CLOSE_ARRAY || Number.isNaN(code)) {
        container.next = -1;
        return undefined;
      }
      let key: string;
      let value: number;
      if (container.array) {
        key = String(container.index++);
        value = offset;
      } else {
        const keyEnd = this.#skipString(offset);
        key = JSON.parse(text.slice(offset, keyEnd)) as string;
        // Past the colon.
        value = this.#skipSpace(this.#skipSpace(keyEnd) + 1);
      }
      const member = { at: offset, value };
      container.members.set(key, member);
      const after = this.#skipSpace(this.#skipValue(value));
      offset = text.charCodeAt(after) === COMMA ? this.#skipSpace(after + 1) : after;
      container.next = offset;
      if (key === token) return member;
    }
  }

  #skipSpace(offset: number): number {
    const text = this.#text;
    for (;;) {
      const code = text.charCodeAt(offset);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return offset;
      offset++;
    }
  }

  /** From a string's opening quote to just past its closing one. */
  #skipString(offset: number): number {
    const text = this.#text;
    for (offset++; offset < text.length; offset++) {
      const code = text.charCodeAt(offset);
      if (code === BACKSLASH) offset++;
      else if (code === QUOTE) return offset + 1;
    }
    return offset;
  }

  /** From a value's first character to just past its last. */
  #skipValue(offset: number): number {
    const text = this.#text;
    let depth = 0;
    for (; offset < text.length;) {
      const code = text.charCodeAt(offset);
      if (code === QUOTE) offset = this.#skipString(offset);
      else if (code === OPEN_OBJECT || code === OPEN_ARRAY) (depth++, offset++);
      else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
        if (depth === 0) return offset;
        depth--;
        offset++;
      } else if (depth === 0 && (code === COMMA || code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09)) return offset;
      else offset++;
      if (depth === 0 && (code === QUOTE || code === CLOSE_OBJECT || code === CLOSE_ARRAY)) return offset;
    }
    return offset;
  }

  #lineColumn(offset: number): { line: number; column: number } {
    const starts = (this.#lineStarts ??= lineStarts(this.#text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  }
}

function lineStarts(text: string): Int32Array {
  const starts = [0];
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  return Int32Array.from(starts);
}
