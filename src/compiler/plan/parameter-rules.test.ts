import { describe, expect, it } from "vitest";
import { operationRules, parameterRule } from "./parameter-rules.ts";
import { createDeref } from "../spec/refs.ts";

const document = {
  components: {
    parameters: {
      limit: { name: "limit", in: "query", schema: { $ref: "#/components/schemas/Limit" } },
    },
    schemas: {
      Limit: { type: "integer", minimum: 1 },
      Color: { type: "object", properties: { R: { type: "integer" }, G: { type: "integer" } }, additionalProperties: false },
      Node: { type: "object", properties: { id: { type: "integer" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } } },
      Loop: { $ref: "#/components/schemas/Loop2" },
      Loop2: { $ref: "#/components/schemas/Loop" },
    },
  },
};
const deref = createDeref(document);
const rule = (parameter: Record<string, any>) => parameterRule(parameter, deref);

describe("parameterRule defaults", () => {
  it("form with explode for query and cookie, simple without explode for path and header", () => {
    expect(rule({ name: "q", in: "query", schema: { type: "string" } })).toMatchObject({ style: "form", explode: true, required: false });
    expect(rule({ name: "c", in: "cookie", schema: { type: "string" } })).toMatchObject({ style: "form", explode: true });
    expect(rule({ name: "id", in: "path", schema: { type: "string" } })).toMatchObject({ style: "simple", explode: false });
    expect(rule({ name: "X-Trace", in: "header", schema: { type: "string" } })).toMatchObject({ style: "simple", explode: false });
    expect(rule({ name: "ids", in: "query", style: "pipeDelimited", schema: { type: "array" } })).toMatchObject({ explode: false });
  });

  it("a path parameter is required even when the document leaves required out", () => {
    expect(rule({ name: "id", in: "path", schema: { type: "string" } })!.required).toBe(true);
    expect(rule({ name: "q", in: "query", required: true, schema: { type: "string" } })!.required).toBe(true);
  });

  it("keeps allowEmptyValue for query parameters only", () => {
    expect(rule({ name: "q", in: "query", allowEmptyValue: true, schema: { type: "string" } })!.allowEmptyValue).toBe(true);
    expect(rule({ name: "h", in: "header", allowEmptyValue: true, schema: { type: "string" } })!.allowEmptyValue).toBeUndefined();
  });

  it("ignores header parameters named Accept, Content-Type or Authorization, in any case", () => {
    for (const name of ["Accept", "content-type", "AUTHORIZATION"]) {
      expect(rule({ name, in: "header", schema: { type: "string" } })).toBeUndefined();
    }
    expect(rule({ name: "Accept", in: "query", schema: { type: "string" } })).toBeDefined();
  });
});

describe("parameterRule shape and coercion", () => {
  it("follows $refs to the parameter and its schema", () => {
    expect(rule({ $ref: "#/components/parameters/limit" })).toEqual({
      name: "limit",
      in: "query",
      required: false,
      style: "form",
      explode: true,
      shape: "primitive",
      coerce: { types: ["integer"] },
    });
  });

  it("an array's item types and an object's property types", () => {
    expect(rule({ name: "ids", in: "query", schema: { type: "array", items: { type: "integer" } } })).toMatchObject({
      shape: "array",
      coerce: { types: ["array"], items: { types: ["integer"] } },
    });
    expect(rule({ name: "color", in: "query", style: "deepObject", schema: { $ref: "#/components/schemas/Color" } })).toMatchObject({
      shape: "object",
      coerce: { types: ["object"], properties: { R: { types: ["integer"] }, G: { types: ["integer"] } } },
    });
  });

  it("a union of the types of type arrays, allOf, oneOf and anyOf branches, in order", () => {
    const union = rule({
      name: "v",
      in: "query",
      schema: {
        oneOf: [{ type: ["integer", "null"] }, { anyOf: [{ type: "boolean" }] }, { allOf: [{ $ref: "#/components/schemas/Limit" }, { type: "string" }] }],
      },
    });
    expect(union!.coerce.types).toEqual(["integer", "null", "boolean", "string"]);
    expect(union!.shape).toBe("primitive");
  });

  it("types from enum or const when the schema names none, and 3.0's nullable", () => {
    expect(rule({ name: "v", in: "query", schema: { enum: [1, 2.5, "x"] } })!.coerce.types).toEqual(["integer", "number", "string"]);
    expect(rule({ name: "v", in: "query", schema: { const: true } })!.coerce.types).toEqual(["boolean"]);
    expect(rule({ name: "v", in: "query", schema: { type: "integer", nullable: true } })!.coerce.types).toEqual(["integer", "null"]);
  });

  it("additionalProperties and patternProperties coerce the keys no property declares", () => {
    const map = rule({ name: "f", in: "query", schema: { type: "object", additionalProperties: { type: "integer" } } });
    expect(map!.coerce.additional).toEqual({ types: ["integer"] });
    const patterned = rule({ name: "f", in: "query", schema: { type: "object", patternProperties: { "^n": { type: "number" } } } });
    expect(patterned!.coerce.additional).toEqual({ types: ["number"] });
  });

  it("deepObject on an array or a primitive is undefined in OpenAPI, not forbidden: Stripe's expand builds", () => {
    const expand = rule({
      name: "expand",
      in: "query",
      style: "deepObject",
      explode: true,
      schema: { type: "array", items: { maxLength: 5000, type: "string" } },
    });
    expect(expand).toMatchObject({ style: "deepObject", shape: "array", coerce: { items: { types: ["string"] } } });
    expect(rule({ name: "at", in: "query", style: "deepObject", schema: { anyOf: [{ type: "string" }, { type: "integer" }] } })!.shape).toBe("primitive");
    expect(rule({ name: "f", in: "query", style: "deepObject", schema: {} })!.shape).toBe("object");
  });

  it("a free-form object takes any key; a closed one only its properties", () => {
    expect(rule({ name: "f", in: "query", schema: { type: "object" } })!.coerce.additional).toEqual({ types: [] });
    expect(rule({ name: "c", in: "query", schema: { $ref: "#/components/schemas/Color" } })!.coerce.additional).toBeUndefined();
  });

  it("recursive schemas end, and a $ref loop gives no types", () => {
    const tree = rule({ name: "t", in: "query", schema: { $ref: "#/components/schemas/Node" } })!;
    expect(tree.coerce.properties!.children.items!.properties!.id).toEqual({ types: ["integer"] });
    expect(rule({ name: "l", in: "query", schema: { $ref: "#/components/schemas/Loop" } })!.coerce).toEqual({ types: [] });
  });

  it("a schema graph that doubles at every level is read in bounded time", () => {
    const schemas: Record<string, unknown> = { S40: { type: "integer" } };
    for (let i = 0; i < 40; i++) schemas[`S${i}`] = { allOf: [{ $ref: `#/components/schemas/S${i + 1}` }, { $ref: `#/components/schemas/S${i + 1}` }] };
    const started = performance.now();
    const wide = parameterRule({ name: "w", in: "query", schema: { $ref: "#/components/schemas/S0" } }, createDeref({ components: { schemas } }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(wide!.coerce.types).toEqual(["integer"]);
  });

  it("content: JSON for application/json and +json media types, text otherwise", () => {
    const json = rule({ name: "f", in: "query", content: { "application/json": { schema: { type: "object" } } } });
    expect(json).toMatchObject({ content: "json", shape: "object" });
    expect(rule({ name: "f", in: "query", content: { "application/vnd.x+json; charset=utf-8": {} } })!.content).toBe("json");
    expect(rule({ name: "s", in: "cookie", content: { "text/plain": { schema: { type: "string" } } } })!.content).toBe("text");
  });
});

describe("parameterRule refuses what OpenAPI forbids", () => {
  const cases: Array<[string, Record<string, any>, RegExp]> = [
    [
      "deepObject on a path parameter",
      { name: "c", in: "path", style: "deepObject", schema: { type: "object" } },
      /in path, where style "deepObject" is not defined; use simple, label or matrix/,
    ],
    [
      "matrix on a query parameter",
      { name: "c", in: "query", style: "matrix", schema: { type: "string" } },
      /use form, spaceDelimited, pipeDelimited or deepObject/,
    ],
    ["form on a header", { name: "X-A", in: "header", style: "form", schema: { type: "string" } }, /use simple/],
    ["schema and content", { name: "c", in: "query", schema: {}, content: { "text/plain": {} } }, /both schema and content/],
    ["neither schema nor content", { name: "c", in: "query" }, /neither schema nor content/],
    [
      "two media types",
      { name: "c", in: "query", content: { "text/plain": {}, "application/json": {} } },
      /2 media types under content; it must have exactly one/,
    ],
    ["an unknown location", { name: "c", in: "querystring", schema: {} }, /in: "querystring"; use path, query, header or cookie/],
    ["no name", { in: "query", schema: {} }, /non-empty "name"/],
  ];
  for (const [what, parameter, message] of cases) {
    it(what, () => expect(() => rule(parameter)).toThrow(message));
  }
});

describe("operationRules", () => {
  it("an operation's parameter replaces the path item's of the same name and place", () => {
    const pathLevel = rule({ name: "v", in: "query", schema: { type: "string" } });
    const own = rule({ name: "v", in: "query", schema: { type: "integer" } });
    const header = rule({ name: "v", in: "header", schema: { type: "string" } });
    const rules = operationRules([pathLevel, header, own, rule({ name: "Accept", in: "header", schema: {} })]);
    expect(rules.map((r) => [r.in, r.coerce.types])).toEqual([
      ["query", ["integer"]],
      ["header", ["string"]],
    ]);
  });

  it("an exploded free-form object leaves the other query parameters' keys alone", () => {
    const rules = operationRules([
      rule({ name: "filter", in: "query", schema: { type: "object", additionalProperties: { type: "string" } } }),
      rule({ name: "limit", in: "query", schema: { type: "integer" } }),
      rule({ name: "color", in: "query", schema: { $ref: "#/components/schemas/Color" } }),
      rule({ name: "limit", in: "header", schema: { type: "integer" } }),
    ]);
    expect(rules[0].excludeKeys).toEqual(["limit", "R", "G"]);
    expect(rules[1].excludeKeys).toBeUndefined();
  });
});
