import { describe, expect, it } from "vitest";
import { runBuildContract } from "../../compiler/builtin.case.ts";
import { compile } from "../../compiler/compile.ts";
import { spec, tempProject } from "../../../test/support/temp-project.ts";

runBuildContract("forward", {
  valid: { url: "https://upstream.example.com/things" },
  invalid: [
    { url: "" },
    { url: "https://upstream.example.com", timeout: 0 },
    { url: "https://upstream.example.com", timeout: 300001 },
    { url: "https://upstream.example.com", retries: 2 },
    { url: "/things" },
    { url: "javascript:alert(1)" },
    { url: "file:///etc/passwd" },
  ],
});

/** GET /things/{id} forwarded with this url (line 11 of the document), and the build's findings. */
async function withUrl(url: string, root = "") {
  const document = spec(
    `  /things/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      x-portico:
        handler:
          use: forward
          options: { url: ${JSON.stringify(url)} }
      responses: { "200": { description: ok } }`,
    root,
  );
  return compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
}

const URL_POINTER = "/paths/~1things~1{id}/get/x-portico/handler/options/url";

describe("forward's url must be one the gateway can send requests to", () => {
  it.each([
    ["/v1/things/${params.id}", /is relative/],
    ["not a url", /has no scheme/],
    ["javascript:alert(1)", /uses the scheme "javascript:"/],
    ["file:///etc/passwd", /uses the scheme "file:"/],
    ["ftp://files.example.com/${params.id}", /uses the scheme "ftp:"/],
    ["https:/upstream.example.com", /has no host/],
    ["${params.id}/things", /begins with a path parameter/],
    ["https://${params.id}/v1", /takes its host from a path parameter/],
    ["https://api.example.com${params.id}/v1", /takes its host from a path parameter/],
    ["https://api.example.com:${params.id}/v1", /takes its host from a path parameter/],
  ])("refuses %s at the url, on its line", async (url, reason) => {
    const { errors } = await withUrl(url);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(reason)]);
    expect(errors[0].location).toMatchObject({ pointer: URL_POINTER, line: 11 });
    expect(errors[0].hint).toContain("docs/policies.md#forward");
  });

  it("says what was meant when the scheme is misspelt or missing", async () => {
    expect((await withUrl("htps://upstream.example.com")).errors[0].hint).toMatch(/^Did you mean "https"\?/);
    expect((await withUrl("localhost:8080/things")).errors[0].hint).toMatch(/^Did you mean "http:\/\/localhost:8080\/things"\?/);
    expect((await withUrl("upstream.example.com/${params.id}")).errors[0].hint).toMatch(/^Did you mean "https:\/\/upstream\.example\.com\/\$\{params\.id\}"\?/);
  });

  it("refuses a template that is never closed, which would be sent as written", async () => {
    const { errors } = await withUrl("https://upstream.example.com/${params.id");
    expect(errors.map((e) => e.message)).toEqual(['"${params.id" is never closed, so it would be sent as written.']);
    expect(errors[0].location).toMatchObject({ pointer: URL_POINTER, line: 11 });
  });

  it("leaves to run time what a Worker var brings: a whole URL, or its host", async () => {
    for (const url of ["${env.UPSTREAM_URL}", "${env.UPSTREAM_URL}/v1/things/${params.id}", "https://${env.HOST}:${env.PORT}/things/${params.id}"]) {
      expect((await withUrl(url)).errors, url).toEqual([]);
    }
  });

  it("refuses the document's upstream once, at the upstream, however many operations it would serve", async () => {
    const document = spec(
      `  /a:
    get: { responses: { "200": { description: ok } } }
  /b:
    get: { responses: { "200": { description: ok } } }`,
      "x-portico: { upstream: upstream.example.com, handler: forward }",
    );
    const { errors } = await compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
    expect(errors.map((e) => e.message)).toEqual([
      'x-portico.upstream "upstream.example.com", where "forward" sends requests, has no scheme: the gateway needs an absolute URL.',
    ]);
    expect(errors[0].location).toMatchObject({ pointer: "/x-portico/upstream", line: 3 });
  });
});
