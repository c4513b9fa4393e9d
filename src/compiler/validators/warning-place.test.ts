import { describe, expect, it } from "vitest";
import { createValidatorSet } from "./validators.ts";
import { warningPointer } from "./warning-place.ts";

describe("warningPointer", () => {
  it("points an unknown format's warning at the keyword's schema, inside the schema compiled", () => {
    const document = {
      paths: {
        "/pulls": {
          post: { requestBody: { content: { "application/json": { schema: { properties: { head_repo: { type: "string", format: "repo.nwo" } } } } } } },
        },
      },
    };
    const set = createValidatorSet(document);
    set.forPointer("/paths/~1pulls/post/requestBody/content/application~1json/schema");
    expect(set.warnings.map(warningPointer)).toEqual(["/paths/~1pulls/post/requestBody/content/application~1json/schema/properties/head_repo"]);
  });

  it("falls back on the compiled schema, and on the document for a warning that names no schema", () => {
    expect(warningPointer('unknown format "x" ignored in schema at path "https://example.com/s#/a" (compiling the schema at /components/schemas/A)')).toBe(
      "/components/schemas/A",
    );
    expect(warningPointer('"$schema": "http://json-schema.org/draft-04/schema#" is compiled as JSON Schema 2020-12.')).toBe("");
  });
});
