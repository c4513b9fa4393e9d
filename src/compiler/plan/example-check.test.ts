import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";
import { EXAMPLE_GROUP } from "../errors.ts";

const SPEC = "openapi/openapi.yaml";

async function build(paths: string, extra = "", strict = false) {
  return compile({ root: tempProject({ [SPEC]: spec(paths, extra) }), check: true, defaultHandler: "mock", strict });
}

const findings = (result: Awaited<ReturnType<typeof build>>) => [...result.errors, ...result.warnings].filter((w) => w.group === EXAMPLE_GROUP);

/** Twilio's shape: a query parameter whose example is a date, under format date-time. */
const dateSent = `  /messages:
    get:
      parameters:
        - name: DateSent>
          in: query
          schema: { type: string, format: date-time }
          example: "2008-01-02"
        - name: PageSize
          in: query
          schema: { type: integer, maximum: 1000 }
          example: "50"
      responses: { "200": { description: ok } }`;

describe("examples are checked against their schema at build", () => {
  it("a parameter example that breaks its format: located, with the violation and a fix", async () => {
    const result = await build(dateSent);
    expect(result.errors).toEqual([]);
    const [finding, ...rest] = findings(result);
    expect(rest).toEqual([]);
    expect(finding.severity).toBe("warning");
    expect(finding.location).toMatchObject({ file: SPEC, pointer: "/paths/~1messages/get/parameters/0/example", line: 11 });
    expect(finding.message).toMatch(/breaks its schema .*must match format "date-time"/);
    expect(finding.hint).toMatch(/such as "2024-01-15T09:30:00Z"/);
    // "50" is how a client sends PageSize: the gateway reads it as the integer 50, so it is fine.
    expect(result.examples).toEqual({ checked: 2, broken: 1, replaced: 0 });
  });

  it("--strict makes them errors", async () => {
    const result = await build(dateSent, "", true);
    expect(result.errors.map((e) => [e.location.pointer, e.severity])).toEqual([["/paths/~1messages/get/parameters/0/example", "error"]]);
  });

  it("a response example is read in the response direction, a request one in the request direction", async () => {
    const result = await build(
      `  /things:
    post:
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Thing" }
            examples:
              noId: { value: { name: a, password: p } }
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
              examples:
                noPassword: { value: { id: 1, name: a } }
                noId: { value: { name: a } }`,
      `components:
  schemas:
    Thing:
      type: object
      required: [id, name, password]
      properties:
        id: { type: integer, readOnly: true }
        name: { type: string }
        password: { type: string, writeOnly: true }`,
    );
    expect(findings(result).map((f) => [f.location.pointer, f.message.replace(/ The mock.*/, "")])).toEqual([
      [
        "/paths/~1things/post/responses/201/content/application~1json/examples/noId",
        "This example breaks its schema (/paths/~1things/post/responses/201/content/application~1json/schema): the value must have required property 'id'.",
      ],
    ]);
  });

  it("schema-level examples, in components and inline; a broken response example the mock replaces is said so", async () => {
    const result = await build(
      `  /prices:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  amount: { type: string, format: decimal, pattern: "^[0-9]+\\\\.[0-9]{2}$", examples: ["12.50"] }
                  created: { type: integer, format: unix-time, example: yesterday }
              example: { amount: "twelve" }`,
      `components:
  schemas:
    Status: { type: string, enum: [open, closed], example: pending }`,
    );
    const byPointer = Object.fromEntries(findings(result).map((f) => [f.location.pointer, f.message]));
    expect(Object.keys(byPointer).sort()).toEqual([
      "/components/schemas/Status/example",
      "/paths/~1prices/get/responses/200/content/application~1json/example",
      "/paths/~1prices/get/responses/200/content/application~1json/schema/properties/created/example",
    ]);
    expect(byPointer["/components/schemas/Status/example"]).toMatch(/must be one of "open", "closed"/);
    expect(byPointer["/paths/~1prices/get/responses/200/content/application~1json/example"]).toMatch(
      /"\/amount" must match pattern.*The mock serves a value generated from the schema in place of this example\.$/,
    );
    expect(result.examples).toEqual({ checked: 4, broken: 3, replaced: 1 });
    const mock = result.plan!.paths[0].operations[0].handler.prepared as { responses: Array<{ examples: Array<{ name: string; value: any }> }> };
    expect(mock.responses[0].examples).toEqual([{ name: "generated", value: { amount: "12.50", created: 1700000000 } }]);
  });
});
