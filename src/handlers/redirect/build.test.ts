import { describe, expect, it } from "vitest";
import { runBuildContract } from "../../compiler/builtin.case.ts";
import { compile } from "../../compiler/compile.ts";
import { spec, tempProject } from "../../../test/support/temp-project.ts";

runBuildContract("redirect", {
  valid: { location: "https://docs.example.com/" },
  invalid: [{}, { location: "" }, { location: "https://docs.example.com/", status: 200 }, { location: "https://docs.example.com/", keepQuery: "yes" }],
});

/** GET /go/{to} answered by a redirect to this location, and the build's findings. */
async function withLocation(location: string) {
  const document = spec(
    `  /go/{to}:
    get:
      parameters: [{ name: to, in: path, required: true, schema: { type: string } }]
      x-portico:
        handler: { use: redirect, options: { location: ${JSON.stringify(location)} } }
      responses: { "302": { description: elsewhere } }`,
  );
  return compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
}

describe("a redirect's location is a path of the gateway or a URL whose host the document names", () => {
  it.each([
    ["https://${params.to}/", /takes its host from a path parameter/],
    ["//${params.to}/", /is relative|has no scheme/],
    ["javascript:alert(1)", /uses the scheme "javascript:"/],
  ])("refuses %s at the location, as an open redirect or a link that runs code", async (location, reason) => {
    const { errors } = await withLocation(location);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(reason)]);
    expect(errors[0].location.pointer).toBe("/paths/~1go~1{to}/get/x-portico/handler/options/location");
  });

  it.each(["/docs/${params.to}", "https://docs.example.com/${params.to}", "${env.DOCS_URL}/${params.to}"])("takes %s", async (location) => {
    expect((await withLocation(location)).errors).toEqual([]);
  });
});
