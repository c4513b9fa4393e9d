import { describe, expect, it } from "vitest";
import { DEFAULT_FORM_LIMITS } from "../../policies/validate-request/form-tree.ts";
import { formBodyRule } from "./form-body.ts";

const deref = (value: unknown) => value;
const rule = (kind: "form" | "multipart", media: Record<string, unknown>, limits = DEFAULT_FORM_LIMITS) =>
  formBodyRule({ kind, media, pointer: "/paths/~1x/post/requestBody/content/x", deref, limits });

describe("form body rules from the Media Type Object", () => {
  it("fills in the Encoding Object's defaults: form explodes, other styles do not", () => {
    const { rule: read } = rule("form", {
      schema: { type: "object", properties: { a: { type: "array" }, b: { type: "array" }, c: { type: "object" }, d: { type: "array" } } },
      encoding: { a: {}, b: { style: "pipeDelimited" }, c: { style: "deepObject", explode: true }, d: { style: "form", explode: false } },
    });
    expect(read.encoding).toEqual({
      a: { style: "form", explode: true },
      b: { style: "pipeDelimited", explode: false },
      c: { style: "deepObject", explode: true },
      d: { style: "form", explode: false },
    });
  });

  it("reads a JSON contentType as JSON only when no style is given (OpenAPI 3.1.1)", () => {
    const { rule: read } = rule("form", {
      schema: { type: "object", properties: { doc: { type: "object" }, styled: { type: "object" }, text: { type: "string" } } },
      encoding: {
        doc: { contentType: "application/json" },
        styled: { contentType: "application/json", style: "deepObject" },
        text: { contentType: "text/plain" },
      },
    });
    expect(read.encoding?.doc.json).toBe(true);
    expect(read.encoding?.styled.json).toBeUndefined();
    expect(read.encoding?.text.json).toBeUndefined();
  });

  it("lists file properties, alone or as lists, and the types their parts may have", () => {
    const { rule: read } = rule("multipart", {
      schema: {
        type: "object",
        properties: {
          file: { type: "string", format: "binary" },
          scans: { type: "array", items: { type: "string", contentMediaType: "image/png" } },
          title: { type: "string" },
        },
      },
      encoding: { file: { contentType: "image/png, image/jpeg; q=0.5" } },
    });
    expect(read.files).toEqual(["file", "scans"]);
    expect(read.encoding?.file.partTypes).toEqual(["image/png", "image/jpeg"]);
  });

  it("names the members of an exploded form-style object, which stand at the top level", () => {
    const { rule: read } = rule("form", {
      schema: {
        type: "object",
        properties: { id: { type: "string" }, color: { type: "object", properties: { R: { type: "integer" }, id: { type: "string" } } } },
      },
      encoding: { color: { style: "form", explode: true } },
    });
    expect(read.members).toEqual({ R: "color" });
  });

  it("coerces as deep as a field may nest: Checkout's line_items[0][price_data][product_data][name]", () => {
    const name = { type: "integer" };
    const schema = {
      type: "object",
      properties: {
        a: {
          type: "array",
          items: {
            type: "object",
            properties: { b: { type: "object", properties: { c: { type: "object", properties: { d: { type: "object", properties: { e: name } } } } } } },
          },
        },
      },
    };
    const at = (coercion: any) => coercion.properties.a.items.properties.b.properties.c.properties.d.properties.e;
    expect(at(rule("form", { schema }).rule.coerce).types).toEqual(["integer"]);
  });

  it("refuses a style a form body does not define, and warns that multipart part headers are not checked", () => {
    const { errors, warnings } = rule("multipart", {
      schema: { type: "object", properties: { a: { type: "string" }, b: { type: "string" } } },
      encoding: { a: { style: "matrix" }, b: { headers: { "X-Rate": { schema: { type: "integer" } } } } },
    });
    expect(errors).toEqual([
      expect.objectContaining({ pointer: "/paths/~1x/post/requestBody/content/x/encoding/a", message: expect.stringContaining('style "matrix"') }),
    ]);
    expect(warnings).toEqual([expect.objectContaining({ pointer: "/paths/~1x/post/requestBody/content/x/encoding/b/headers" })]);
  });
});
