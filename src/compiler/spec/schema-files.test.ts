import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";
import { loadSpec } from "./load-spec.ts";

const SPEC = "openapi/openapi.yaml";

const response = (ref: string) =>
  `      x-portico: { handler: mock }\n      responses:\n        "200":\n          description: ok\n          content: { application/json: { schema: { $ref: "${ref}" } } }`;

describe("schemas kept in files of their own", () => {
  it("become components named after their files, which every reference points at", async () => {
    const root = tempProject({
      [SPEC]: spec(
        `  /exhibits:\n    get:\n${response("./schemas/exhibit.yaml")}\n  /exhibits/featured:\n    get:\n${response("./schemas/exhibit.yaml")}\n  /tickets:\n    $ref: "./paths/tickets.yaml"`,
        'components:\n  schemas:\n    Problem: { $ref: "./schemas/problem.yaml" }',
      ),
      "openapi/schemas/exhibit.yaml": 'type: object\nproperties:\n  id: { type: string }\n  gallery: { $ref: "./models.yaml#/Gallery" }\n',
      "openapi/schemas/models.yaml": "Gallery: { type: string, enum: [east, west] }\nUnused: { type: integer }\n",
      "openapi/schemas/problem.yaml": "type: object\nproperties: { title: { type: string } }\n",
      // Another file of the same name: its component gets a name of its own.
      "openapi/paths/tickets.yaml": `get:\n${response("./exhibit.yaml").replaceAll("\n      ", "\n  ").replace(/^ {6}/, "  ")}\n`,
      "openapi/paths/exhibit.yaml": "type: object\nproperties: { seat: { type: string } }\n",
    });
    const { document } = await loadSpec(root, join(root, SPEC));
    const schemas = document.components.schemas;
    expect(Object.keys(schemas).sort()).toEqual(["Gallery", "Problem", "exhibit", "exhibit-2"]);
    expect(schemas.exhibit.properties.gallery).toEqual({ $ref: "#/components/schemas/Gallery" });
    expect(schemas.Problem.properties.title).toEqual({ type: "string" });
    const schemaOf = (path: string) => document.paths[path].get.responses["200"].content["application/json"].schema;
    expect(schemaOf("/exhibits")).toEqual({ $ref: "#/components/schemas/exhibit" });
    expect(schemaOf("/exhibits/featured")).toEqual({ $ref: "#/components/schemas/exhibit" });
    expect(schemaOf("/tickets")).toEqual({ $ref: "#/components/schemas/exhibit-2" });
    expect(schemas["exhibit-2"].properties.seat).toEqual({ type: "string" });
  });

  it("are still located in their own files when the build finds a problem inside them", async () => {
    const root = tempProject({
      [SPEC]: spec(`  /a:\n    get:\n${response("./schemas/thing.yaml")}`),
      "openapi/schemas/thing.yaml": "type: object\nproperties:\n  code: { type: string, example: 7 }\n",
    });
    const { sources } = await loadSpec(root, join(root, SPEC));
    expect(sources.locate("/components/schemas/thing/properties/code/example")).toMatchObject({
      file: "openapi/schemas/thing.yaml",
      pointer: "/properties/code/example",
      line: 3,
    });
    const result = await compile({ root, check: true });
    const broken = result.warnings.filter((warning) => /example/i.test(warning.message));
    expect(broken.map((warning) => warning.location)).toEqual([
      expect.objectContaining({ file: "openapi/schemas/thing.yaml", pointer: "/properties/code/example", line: 3 }),
    ]);
  });
});
