import { describe, expect, it } from "vitest";
import { decodeBody, type MediaRule } from "./body.ts";
import { parseMediaType } from "./media-type.ts";
import { parseJson } from "../../runtime/validation/json-guard.ts";

describe("parseMediaType reads Content-Type by RFC 9110's grammar, and nothing looser", () => {
  it("reads the type, and the charset however it is written within the grammar", () => {
    expect(parseMediaType("Application/JSON")).toEqual({ type: "application/json", charset: undefined });
    expect(parseMediaType("application/json;charset=UTF-8")).toEqual({ type: "application/json", charset: "utf-8" });
    expect(parseMediaType('application/json ; charset="utf-8" ;')).toEqual({ type: "application/json", charset: "utf-8" });
    expect(parseMediaType('multipart/form-data; boundary="a b:c"; charset=utf-8')).toEqual({ type: "multipart/form-data", charset: "utf-8" });
    expect(parseMediaType('text/plain; note="say \\"hi\\""; charset=utf-8')?.charset).toBe("utf-8");
  });

  it("refuses a parameter named twice, in any case", () => {
    expect(parseMediaType("multipart/form-data; boundary=AAA; boundary=BBB")).toBeUndefined();
    expect(parseMediaType("application/json; charset=a;charset=b")).toBeUndefined();
    expect(parseMediaType("application/json; charset=utf-8; CHARSET=utf-8")).toBeUndefined();
  });

  it("refuses whitespace around =, a parameter without a value, an unclosed quote and a missing ;", () => {
    for (const header of [
      "application/json; charset = utf-16",
      "application/json; charset =utf-8",
      "application/json; charset= utf-8",
      "application/json; charset",
      "application/json; charset=",
      'application/json; charset="utf-8',
      "application/json charset=utf-8",
      "application/json; charset=utf-8 x",
      "application /json",
      "application/",
      "json",
    ]) {
      expect(parseMediaType(header), header).toBeUndefined();
    }
  });
});

describe("parseJson", () => {
  it("finds a key twice however it is escaped", () => {
    expect(parseJson('{"a":1,"\\u0061":2}')).toEqual({ error: 'The key "a" appears twice in one object.' });
    expect(parseJson('{"a\\"b":1,"a\\u0022b":2}')).toEqual({ error: 'The key "a"b" appears twice in one object.' });
    expect(parseJson('{"a":{"a":1},"b":[{"a":1,"b":2}]}')).toEqual({ value: { a: { a: 1 }, b: [{ a: 1, b: 2 }] } });
  });

  it("names where a lone surrogate or an overflowing number is", () => {
    expect(parseJson('{"a/b":[1,{"c~":"\\ud800"}]}')).toEqual({ error: "The string at /a~1b/1/c~0 holds a lone surrogate." });
    expect(parseJson("[1e400]")).toEqual({ error: "The number at /0 is out of range." });
    expect(parseJson('{"\\udc00":1}')).toEqual({ error: "A key at / holds a lone surrogate." });
  });

  it("says a text that is no JSON is malformed", () => {
    expect(parseJson("{")).toMatchObject({ malformed: true });
  });
});

describe("JSON bodies, as RFC 8259 and IEEE 754 read them", () => {
  const json: MediaRule = { range: "application/json", kind: "json" };
  const bytes = (...parts: Array<string | number[]>) =>
    new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...new TextEncoder().encode(part)] : part))).buffer;

  it("ignores one leading byte-order mark, as RFC 8259 §8.1 allows; a second is no JSON", async () => {
    const bom = [0xef, 0xbb, 0xbf];
    expect(await decodeBody(bytes(bom, '{"a":1}'), json, "application/json")).toEqual({ value: { a: 1 }, validate: true });
    expect(await decodeBody(bytes(bom, bom, '{"a":1}'), json, "application/json")).toHaveProperty("error");
  });

  it("reads 1000.00000000000001 as the double 1000, which integer and maximum: 1000 take", async () => {
    const read = await decodeBody(bytes("1000.00000000000001"), json, "application/json");
    expect(read).toEqual({ value: 1000, validate: true });
    expect(Number.isInteger((read as { value: number }).value)).toBe(true);
  });
});
