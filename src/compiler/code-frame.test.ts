import { describe, expect, it } from "vitest";
import { codeFrame } from "./code-frame.ts";

const text = ["a: 1", "b:", "  c: 2", "d: 3"].join("\n");

describe("codeFrame", () => {
  it("marks the line, puts a caret under the column and shows a line each side", () => {
    expect(codeFrame(text, 3, 3)).toBe(["  2 | b:", "> 3 |   c: 2", "    |   ^", "  4 | d: 3"].join("\n"));
  });

  it("shows what there is at the first and the last line, and no caret without a column", () => {
    expect(codeFrame(text, 1, 1)).toBe(["> 1 | a: 1", "    | ^", "  2 | b:"].join("\n"));
    expect(codeFrame(text, 4)).toBe(["  3 |   c: 2", "> 4 | d: 3"].join("\n"));
  });

  it("widens the gutter for the widest line number", () => {
    const many = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n");
    expect(codeFrame(many, 10, 6)).toBe(["   9 | line 9", "> 10 | line 10", "     |      ^", "  11 | line 11"].join("\n"));
  });

  it("keeps tabs before the caret, so it lines up however tabs are drawn", () => {
    expect(codeFrame("x\n\tkey: 1\n", 2, 2)?.split("\n")[2]).toBe("    | \t^");
  });

  it("cuts a long line around the column: a minified JSON document is one line", () => {
    const long = `{"a":${"1,".repeat(200)}"b":}`;
    const frame = codeFrame(long, 1, long.length)!;
    const [line, caret] = frame.split("\n");
    expect(line.length).toBeLessThan(140);
    expect(line).toMatch(/^> 1 \| …1,1,.*"b":\}$/);
    expect(line[caret.length - 1]).toBe("}");
  });

  it("gives nothing for a line the text does not have", () => {
    expect(codeFrame(text, 9, 1)).toBeUndefined();
    expect(codeFrame(text, 0)).toBeUndefined();
  });
});
