/**
 * Documents the build could once not read without throwing: each now ends in
 * located errors (or builds), never a stack trace.
 */
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../test/support/temp-project.ts";
import { compile } from "./compile.ts";

const OPERATION = "  /a:\n    get:\n      responses: { '200': { description: ok } }";

async function check(document: string) {
  return compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
}

describe("documents that once made the build throw", () => {
  it.each(["constructor", "toString", "hasOwnProperty"])("a policy named %s is an unknown policy, not Object.prototype's", async (name) => {
    const { errors } = await check(spec(OPERATION, `x-portico: { handler: ${name} }`));
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(`Unknown policy or handler "${name}"`)]);
  });

  it("security naming a scheme called constructor names no scheme", async () => {
    const { errors } = await check(
      spec(
        OPERATION,
        "x-portico: { handler: mock }\nsecurity: [{ constructor: [] }]\ncomponents: { securitySchemes: { key: { type: apiKey, in: header, name: X-Key } } }",
      ),
    );
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('names the scheme "constructor", which components.securitySchemes does not define')]);
  });

  it("a servers URL that does not parse still gives the base path", async () => {
    const { errors, operations } = await check(spec(OPERATION, 'x-portico: { handler: mock }\nservers: [{ url: "http://[::1/v2" }]'));
    expect(errors).toEqual([]);
    expect(operations).toBe(1);
  });

  it.each([
    ["a $ref that points at itself", "components: { schemas: { Loop: { $ref: '#/components/schemas/Loop' } } }"],
    [
      "YAML aliases nested too deep",
      "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]",
    ],
  ])("%s is a build error at the document", async (_, extra) => {
    const { errors } = await check(spec(OPERATION, `x-portico: { handler: mock }\n${extra}`));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].location.file).toMatch(/openapi\.yaml$/);
  });
});
