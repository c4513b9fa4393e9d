import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";

const SPEC = "openapi/openapi.yaml";

async function build(paths: string, components = "") {
  const result = await compile({ root: tempProject({ [SPEC]: spec(paths, `x-portico: { handler: mock }\n${components}`) }), check: true });
  expect(result.errors.map((e) => e.format())).toEqual([]);
  return result.warnings;
}

const post = (path: string, content: string) => `  ${path}:
    post:
      requestBody:
        content:
${content}
      responses: { "204": { description: done } }`;

describe("request schemas a client could make costly to check", () => {
  const components = `components:
  schemas:
    Tag: { type: object, properties: { name: { type: string } } }
    TagSet: { type: array, uniqueItems: true, items: { $ref: "#/components/schemas/Tag" } }`;

  it("warns, once per schema and with its line, about uniqueItems over objects without a small maxItems", async () => {
    const warnings = await build(
      [
        post("/a", `          application/json:\n            schema: { $ref: "#/components/schemas/TagSet" }`),
        post("/b", `          application/json:\n            schema: { type: object, properties: { tags: { $ref: "#/components/schemas/TagSet" } } }`),
        post(
          "/c",
          `          application/x-www-form-urlencoded:\n            schema: { type: object, properties: { ids: { type: array, uniqueItems: true, items: { type: [integer, object] } } } }`,
        ),
      ].join("\n"),
      components,
    );
    const costly = warnings.filter((w) => w.message.startsWith("uniqueItems"));
    expect(costly.map((w) => [w.severity, w.location.file, w.location.pointer])).toEqual([
      ["warning", SPEC, "/components/schemas/TagSet"],
      ["warning", SPEC, "/paths/~1c/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/ids"],
    ]);
    expect(costly[0].location.line).toBe(7);
    expect(costly[0].message).toBe(
      "uniqueItems: true without maxItems (at most 1000) makes checking a request compare every pair of items: a client can send an array that costs seconds of CPU.",
    );
    expect(costly[0].hint).toMatch(/^Add maxItems: 1000/);
  });

  it("says nothing where the check stays cheap: a maxItems of 1000 or less, or scalar items", async () => {
    const warnings = await build(
      post(
        "/a",
        `          application/json:\n            schema: { type: object, properties: { few: { type: array, uniqueItems: true, maxItems: 1000, items: { type: object } }, names: { type: array, uniqueItems: true, items: { type: string } } } }`,
      ),
    );
    expect(warnings.map((w) => w.message)).toEqual([]);
  });

  it("warns about uniqueItems in a parameter's schema too", async () => {
    const warnings = await build(`  /a:
    get:
      parameters:
        - { name: ids, in: query, schema: { type: array, uniqueItems: true, maxItems: 5000, items: { type: array } } }
      responses: { "204": { description: done } }`);
    expect(warnings.map((w) => w.location.pointer)).toEqual(["/paths/~1a/get/parameters/0/schema"]);
  });
});

describe("schemas under a catch-all media range", () => {
  it("warns that a schema under */* or application/* is not checked, naming its pointer", async () => {
    const warnings = await build(
      [
        post("/any", `          "*/*":\n            schema: { type: object, required: [name] }`),
        post("/app", `          application/*:\n            schema: { $ref: "#/components/schemas/Thing" }`),
      ].join("\n"),
      "components:\n  schemas:\n    Thing: { type: object }",
    );
    expect(warnings.map((w) => [w.severity, w.location.pointer, w.message])).toEqual([
      [
        "warning",
        "/paths/~1any/post/requestBody/content/*~1*/schema",
        "This schema is not checked: Portico validates JSON, form, multipart and text bodies, and a body that falls under */* is passed on unread.",
      ],
      [
        "warning",
        "/paths/~1app/post/requestBody/content/application~1*/schema",
        "This schema is not checked: Portico validates JSON, form, multipart and text bodies, and a body that falls under application/* is passed on unread.",
      ],
    ]);
  });

  it("says nothing of a schema that only describes bytes, or of a specific binary type", async () => {
    const warnings = await build(
      [
        post("/file", `          "*/*":\n            schema: { type: string, format: binary }`),
        post("/image", `          image/png:\n            schema: { type: string, contentMediaType: image/png }`),
      ].join("\n"),
    );
    expect(warnings.map((w) => w.message)).toEqual([]);
  });
});

describe("the validate setting", () => {
  const operation = (path: string, validate: string) => `  ${path}:
    get:
      operationId: ${path.slice(1)}
      x-portico: { validate: ${validate} }
      parameters: [{ name: ${path.slice(1)}, in: query, schema: { type: string } }]
      responses: { "204": { description: done } }`;

  /** Each operation's validation mode in the generated modules, or "off" when it has no validation step (a parameter of its own keeps each step apart). */
  async function modes(rootValidate: string, paths: string): Promise<Record<string, string>> {
    const root = tempProject({ [SPEC]: spec(paths, `x-portico: { handler: mock, validate: ${rootValidate} }`) });
    const result = await compile({ root });
    expect(result.errors.map((e) => e.format())).toEqual([]);
    const generated = readFileSync(result.appFile!, "utf8") + readFileSync(join(dirname(result.appFile!), "data.ts"), "utf8");
    const found: Record<string, string> = {};
    for (const id of ["inherits", "enforces", "reports", "off"]) {
      const step = new RegExp(`validateRequest_${id}\\b[^;]*?mode"?:\\s*"(\\w+)"`, "s").exec(generated);
      found[id] = step?.[1] ?? "off";
    }
    return found;
  }

  it("takes the document's default and lets an operation's own keys win", async () => {
    const paths = [
      operation("/inherits", "true"),
      operation("/enforces", "{ mode: enforce }"),
      operation("/reports", "{ mode: report }"),
      operation("/off", "false"),
    ].join("\n");
    expect(await modes("{ mode: report }", paths)).toEqual({ inherits: "report", enforces: "enforce", reports: "report", off: "off" });
    expect(await modes("{ maxBodyBytes: 10 }", paths)).toEqual({ inherits: "enforce", enforces: "enforce", reports: "report", off: "off" });
  });

  it("turned off at the root stays off where an operation says nothing, and comes back where it says how", async () => {
    const paths = [operation("/inherits", "true"), operation("/reports", "{ mode: report }")].join("\n");
    expect(await modes("false", paths)).toMatchObject({ inherits: "off", reports: "report" });
  });
});
