import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";

const ok = `x-portico: { handler: mock }
      responses: { "200": { description: ok } }`;

async function check(paths: string) {
  return compile({ root: tempProject({ "openapi/openapi.yaml": spec(paths) }), check: true });
}

describe("path keys with a query", () => {
  it("refuses one that stands alone, at its key: requests are routed by their path, so it never matches", async () => {
    const { errors } = await check(`  /search?q={q}:
    get:
      ${ok}`);
    expect(errors.map((e) => e.message)).toEqual([
      'The path "/search?q={q}" has a query ("?q={q}"): requests are routed by their path alone, so it can never match.',
    ]);
    expect(errors[0].location).toMatchObject({ pointer: "/paths/~1search?q={q}", line: 5 });
    expect(errors[0].hint).toContain('Write the path as "/search"');
  });

  it("joins one beside its plain path, as OpenAI's ?beta=true twins, and says which operation is never reached", async () => {
    // The variant comes first: the plain path still takes the route.
    const { errors, warnings, operations } = await check(`  /responses?beta=true:
    post:
      operationId: betaCreate
      ${ok}
    get:
      operationId: betaList
      ${ok}
  /responses:
    post:
      operationId: create
      ${ok}`);
    expect(errors).toEqual([]);
    expect(operations).toBe(2);
    expect(warnings.map((w) => [w.location.pointer, w.location.line, w.message])).toEqual([
      [
        "/paths/~1responses?beta=true/get",
        10,
        "GET /responses?beta=true answers every GET /responses, whatever its query: requests are routed by their path alone.",
      ],
      [
        "/paths/~1responses?beta=true/post",
        6,
        "POST /responses?beta=true shares POST /responses with create: requests are routed by their path alone, so every such request goes to create and this operation is never reached.",
      ],
    ]);
  });

  it("refuses a templated query even beside its plain path", async () => {
    const { errors } = await check(`  /things:
    get:
      ${ok}
  /things?page={page}:
    post:
      ${ok}`);
    expect(errors.map((e) => e.location.pointer)).toEqual(["/paths/~1things?page={page}"]);
  });

  it("still takes a #fragment path key beside its plain path, whichever comes first", async () => {
    const { errors, warnings } = await check(`  /folders/{id}#copy:
    post:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      ${ok}
  /folders/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      ${ok}`);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe("path parameters", () => {
  it("refuses required: false, at the key where it is written, once for a path item's parameter", async () => {
    const { errors } = await check(`  /items/{id}:
    parameters: [{ name: id, in: path, required: false, schema: { type: string } }]
    get:
      ${ok}
    delete:
      ${ok}`);
    expect(errors.map((e) => e.message)).toEqual([
      'The path parameter "id" has required: false, but a path parameter is always there: a request without it matches no route.',
    ]);
    expect(errors[0].location).toMatchObject({ pointer: "/paths/~1items~1{id}/parameters/0/required", line: 6 });
    expect(errors[0].hint).toContain("/items beside /items/{id}");
  });

  it("finds required: false where a $ref'd parameter is written", async () => {
    const document = spec(
      `  /items/{id}:
    get:
      parameters: [{ $ref: "#/components/parameters/Id" }]
      ${ok}`,
      `components:
  parameters:
    Id:
      name: id
      in: path
      required: false
      schema: { type: string }`,
    );
    const { errors } = await compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
    expect(errors.map((e) => e.location.pointer)).toEqual(["/components/parameters/Id/required"]);
    expect(errors[0].location.line).toBe(8);
  });
});
