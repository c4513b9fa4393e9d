import { beforeAll, describe, expect, it } from "vitest";
import { startDescriptions } from "./markdown.ts";
import { displayShape, typeName, variantName } from "./schema-shape.ts";
import { schemaTree } from "./schema-tree.ts";

const document = {
  openapi: "3.1.0",
  components: {
    schemas: {
      Base: { type: "object", description: "Something with an id.", required: ["id"], properties: { id: { type: "string" }, kind: { type: "string" } } },
      Timestamps: { allOf: [{ $ref: "#/components/schemas/Base" }, { properties: { created: { type: "integer" } }, required: ["created"] }] },
      Pet: {
        description: "A pet.",
        allOf: [{ $ref: "#/components/schemas/Timestamps" }, { type: "object", required: ["name"], properties: { name: { type: "string" } } }],
      },
      Cat: { type: "object", properties: { kind: { const: "cat" } } },
      Dog: { type: "object", title: "A good dog", properties: { kind: { enum: ["dog"] } } },
      Loop: { allOf: [{ $ref: "#/components/schemas/Loop" }, { properties: { next: { type: "string" } } }] },
    },
  },
};

describe("a schema as a reader thinks of it", () => {
  it("merges allOf into one property list, required merged, the outer description first", () => {
    const shape = displayShape(document, document.components.schemas.Pet);
    expect(Object.keys(shape.schema.properties)).toEqual(["id", "kind", "created", "name"]);
    expect(shape.schema.required).toEqual(["id", "created", "name"]);
    expect(shape.schema.description).toBe("A pet.");
    expect(shape.schema.allOf).toBeUndefined();
    expect(shape.includes).toEqual(["#/components/schemas/Timestamps", "#/components/schemas/Base"]);
  });

  it("merges a property two members define, and stops at a member that includes itself", () => {
    const shape = displayShape(document, {
      allOf: [{ properties: { n: { type: "integer", description: "A count." } } }, { properties: { n: { minimum: 1 } } }],
    });
    expect(displayShape(document, shape.schema.properties.n).schema).toEqual({ type: "integer", description: "A count.", minimum: 1 });
    expect(Object.keys(displayShape(document, document.components.schemas.Loop, ["#/components/schemas/Loop"]).schema.properties)).toEqual(["next"]);
  });

  it("reads every way of allowing null as X | null", () => {
    const cases: Array<[Record<string, any>, string]> = [
      [{ anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] }, "string (date-time) | null"],
      [{ oneOf: [{ $ref: "#/components/schemas/Pet" }, { type: "null" }], description: "Its pet." }, "Pet | null"],
      [{ type: ["integer", "null"] }, "integer | null"],
      [{ type: "string", nullable: true }, "string | null"],
      // Stripe: a union of one reference, and 3.0's nullable beside it.
      [{ anyOf: [{ $ref: "#/components/schemas/Pet" }], nullable: true }, "Pet | null"],
      // 3.0's way of annotating a reference.
      [{ allOf: [{ $ref: "#/components/schemas/Pet" }], nullable: true, description: "x" }, "Pet | null"],
      [{ type: "array", items: { $ref: "#/components/schemas/Pet" } }, "array of Pet"],
      [{ oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }] }, "Cat | Dog"],
    ];
    for (const [schema, text] of cases) expect(typeName(document, schema), JSON.stringify(schema)).toBe(text);
    expect(displayShape(document, { oneOf: [{ $ref: "#/components/schemas/Pet" }, { type: "null" }], description: "Its pet." })).toEqual({
      schema: { $ref: "#/components/schemas/Pet", description: "Its pet." },
      nullable: true,
      includes: [],
    });
  });

  it("names each variant by discriminator mapping, the value that selects it, title, or type", () => {
    const union = {
      oneOf: [
        { $ref: "#/components/schemas/Cat" },
        { $ref: "#/components/schemas/Dog" },
        { title: "Fish" },
        { properties: { kind: { const: "bird" } } },
        { type: "string" },
      ],
      discriminator: { propertyName: "kind", mapping: { kitten: "#/components/schemas/Cat" } },
    };
    expect(union.oneOf.map((variant) => variantName(document, variant, union))).toEqual(["kitten", "dog", "Fish", "bird", "string"]);
    expect(variantName(document, { $ref: "#/components/schemas/Dog" }, {})).toBe("Dog");
    expect(variantName(document, { $ref: "#/components/schemas/Cat" }, { discriminator: { propertyName: "kind", mapping: { tom: "Cat" } } })).toBe("tom");
  });
});

describe("the schema tree", () => {
  beforeAll(() => void startDescriptions("https://docs.example.com/", document));

  it("draws an allOf as one list of properties, linking where they came from, its description once", () => {
    const html = schemaTree(document, { $ref: "#/components/schemas/Pet" }, "../", true);
    expect(html).not.toContain("All of");
    expect(html).toContain(
      'Includes <a class="schema-link" href="../schemas/Timestamps.html">Timestamps</a>, <a class="schema-link" href="../schemas/Base.html">Base</a>',
    );
    for (const name of ["id", "created", "name"]) expect(html).toContain(`<code>${name}</code> <i>`);
    // On its own page the description stands above the tree: not in it again.
    expect(html).not.toContain("A pet.");
    expect(html).not.toMatch(/<summary>[^]*?<a [^]*?<\/summary>/);
    expect(schemaTree(document, { properties: { pet: { allOf: [{ $ref: "#/components/schemas/Pet" }], description: "Its **pet**." } } }, "../")).toContain(
      '<code>pet</code> <a class="schema-link" href="../schemas/Pet.html">Pet</a><div class="description"><p>Its <strong>pet</strong>.</p></div>',
    );
  });

  it("shows a union with null as X | null, not as options", () => {
    const html = schemaTree(document, { properties: { at: { anyOf: [{ type: "string", description: "When, as `RFC 3339`." }, { type: "null" }] } } }, "../");
    expect(html).toContain('<code>at</code> <i>string | null</i><div class="description"><p>When, as <code>RFC 3339</code>.</p></div>');
    expect(html).not.toMatch(/Any of|option/);
    expect(schemaTree(document, { properties: { pet: { anyOf: [{ $ref: "#/components/schemas/Pet" }, { type: "null" }] } } }, "../")).toContain(
      '<a class="schema-link" href="../schemas/Pet.html">Pet</a> <i>| null</i>',
    );
  });

  it("names variants, without saying a component's or a type's name twice", () => {
    const html = schemaTree(
      document,
      {
        oneOf: [
          { $ref: "#/components/schemas/Cat" },
          { $ref: "#/components/schemas/Dog" },
          { type: "object", properties: { kind: { const: "bird" } } },
          { type: "string" },
        ],
        discriminator: { propertyName: "kind" },
      },
      "../",
    );
    expect(html).toContain('<li><code>cat</code> <a class="schema-link" href="../schemas/Cat.html">Cat</a></li>');
    expect(html).toContain('<li><code>dog</code> <a class="schema-link" href="../schemas/Dog.html">Dog</a></li>');
    expect(html).toContain("<code>bird</code> <i>object</i>");
    expect(html).toContain("<li><i>string</i></li>");
    expect(html).not.toContain("option");
  });
});
