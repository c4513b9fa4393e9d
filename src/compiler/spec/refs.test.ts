import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { selfContained } from "./refs.ts";

describe("selfContained", () => {
  it("holds for a document whose every $ref points at something inside it", () => {
    const document = {
      paths: { "/a": { $ref: "#/components/pathItems/A" } },
      components: { pathItems: { A: { get: { responses: {} } } }, schemas: { "a b": { type: "string" }, B: { $ref: "#/components/schemas/a%20b" } } },
    };
    expect(selfContained(document)).toBe(true);
  });

  it("fails for a $ref to another file, to nothing, or that is not a string", () => {
    expect(selfContained({ a: { $ref: "./schemas.yaml#/A" } })).toBe(false);
    expect(selfContained({ a: { $ref: "#/components/schemas/Missing" } })).toBe(false);
    expect(selfContained({ a: { b: { $ref: 7 } } })).toBe(false);
    expect(selfContained({ a: { $ref: "#/bad%escape" } })).toBe(false);
  });

  it("ends on a YAML document whose aliases make it circular", () => {
    const document = parse("a: &node\n  child: *node\n  $ref: '#/a'\n", { maxAliasCount: 100 }) as { a: { child: unknown } };
    expect(document.a.child).toBe(document.a);
    expect(selfContained(document)).toBe(true);
  });
});
