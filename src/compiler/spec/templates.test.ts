import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";

async function check(document: string) {
  return compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
}

const getItem = (extension: string) => `  /items/{itemId}:
    get:
      parameters: [{ name: itemId, in: path, required: true, schema: { type: string } }]
      x-portico: ${extension}
      responses: { "200": { description: ok } }`;

describe("templates in x-portico", () => {
  it("refuses an unclosed ${env. anywhere in x-portico, at its value", async () => {
    const { errors } = await check(spec(getItem("{ handler: mock }"), 'x-portico:\n  upstream: "https://${env.UPSTREAM_HOST/v1"'));
    expect(errors.map((e) => e.message)).toEqual(['"${env.UPSTREAM_HOST/v1" is never closed, so it would be sent as written.']);
    expect(errors[0].location).toMatchObject({ pointer: "/x-portico/upstream", line: 4 });
  });

  it("refuses an unclosed ${params. before another template", async () => {
    const { errors } = await check(spec(getItem('{ handler: { use: forward, options: { url: "https://up.example/${params.itemId/${env.SUFFIX}" } } }'), ""));
    expect(errors.map((e) => e.message)).toEqual(['"${params.itemId/" is never closed, so it would be sent as written.']);
    expect(errors[0].location).toMatchObject({ pointer: "/paths/~1items~1{itemId}/get/x-portico/handler/options/url", line: 8 });
  });

  it("names the nearest path parameter when ${params.x} names none", async () => {
    const { errors } = await check(spec(getItem('{ handler: { use: forward, options: { url: "https://up.example/${params.itemid}" } } }'), ""));
    expect(errors.map((e) => e.hint)).toEqual(['Did you mean "itemId"? Use one of: itemId.']);
  });
});
