import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { JsonPositions } from "./json-positions.ts";

/** Where the YAML reader places the member at `tokens` (its key, or an element's value): what JsonPositions must agree with. */
function yamlPosition(text: string, tokens: string[]) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const parent = doc.getIn(tokens.slice(0, -1), true);
  const last = tokens.at(-1)!;
  const node = isMap(parent)
    ? parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === last)?.key
    : isSeq(parent)
      ? parent.items[Number(last)]
      : undefined;
  const { line, col } = lines.linePos((node as { range: [number] }).range[0]);
  return { line, column: col };
}

function everyPointer(value: unknown, tokens: string[] = [], into: string[][] = []): string[][] {
  if (value === null || typeof value !== "object") return into;
  for (const [key, item] of Object.entries(value)) {
    into.push([...tokens, key]);
    everyPointer(item, [...tokens, key], into);
  }
  return into;
}

const DOCUMENT = {
  openapi: "3.0.3",
  info: { title: 'Quotes " and \\ and ] } and , in "strings"', version: "1" },
  paths: {
    "/a/{id}": { get: { parameters: [{ name: "id", in: "path", schema: { type: "integer", minimum: -1.5e3 } }, true, null, []], responses: {} } },
    "/b~c": { post: { requestBody: { content: { "application/json": { schema: { enum: [1, "two", { three: [3] }], nullable: false } } } } } },
  },
  "key with \u00e9 and \\u escape \u2028": { "": "empty key", nested: [[[]], {}] },
};

describe("JsonPositions", () => {
  for (const [name, text] of [
    ["indented", JSON.stringify(DOCUMENT, null, 2)],
    ["minified", JSON.stringify(DOCUMENT)],
    ["tab-indented, CRLF", JSON.stringify(DOCUMENT, null, "\t").replaceAll("\n", "\r\n")],
  ]) {
    it(`places every member of a ${name} document where the YAML reader does, looked up in any order`, () => {
      const positions = new JsonPositions(text);
      const pointers = everyPointer(DOCUMENT);
      for (const tokens of [...pointers].reverse()) expect(positions.position(tokens), tokens.join("/")).toEqual(yamlPosition(text, tokens));
    });
  }

  it("gives the nearest member that exists for a pointer that goes further, and 1:1 for the root", () => {
    const text = JSON.stringify(DOCUMENT, null, 2);
    const positions = new JsonPositions(text);
    expect(positions.position(["paths", "/a/{id}", "get", "no such key", "deeper"])).toEqual(yamlPosition(text, ["paths", "/a/{id}", "get"]));
    expect(positions.position(["openapi", "3"])).toEqual(yamlPosition(text, ["openapi"]));
    expect(positions.position([])).toEqual({ line: 1, column: 1 });
    expect(positions.position(["missing"])).toEqual({ line: 1, column: 1 });
  });
});
