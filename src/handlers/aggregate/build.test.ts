import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBuildContract } from "../../compiler/builtin.case.ts";
import { compile } from "../../compiler/compile.ts";
import { spec, tempProject } from "../../../test/support/temp-project.ts";

const ok = { url: "https://users.example.com/users" };

runBuildContract("aggregate", {
  valid: { requests: { user: ok } },
  invalid: [
    {},
    { requests: {} },
    { requests: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`part${i}`, ok])) },
    { requests: { _failures: ok } },
    { requests: { user: { url: "" } } },
    { requests: { user: { ...ok, timeout: 0 } } },
    { requests: { user: { ...ok, method: "CONNECT" } } },
    { requests: { user: { ...ok, headers: ["Connection"] } } },
    { requests: { user: { url: "https://users.example.com/search?q=${query.q}" } } },
    { requests: { user: { url: "https://${consumer.id}.users.example.com/" } } },
    { requests: { user: { url: "https://users.example.com/${consumer.email}" } } },
    { requests: { user: ok }, maxPartBytes: 0 },
    { requests: { user: ok }, partialStatus: 204 },
    { requests: { user: ok }, merge: "policies/missing.ts" },
  ],
});

/**
 * GET /users/{id} (its path item declares the query parameter `fields`, the
 * operation `page`) aggregated from one part with this url (line 18), and the build's findings.
 */
async function withUrl(url: string, { security = "", files = {} }: { security?: string; files?: Record<string, string> } = {}) {
  const document = spec(
    `  /users/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
      - $ref: "#/components/parameters/fields"
    get:
      parameters: [{ name: page, in: query, schema: { type: integer } }]
      ${security}
      x-portico:
        handler:
          use: aggregate
          options:
            requests:
              user:
                url: ${JSON.stringify(url)}
      responses: { "200": { description: ok } }
components:
  parameters:
    fields: { name: fields, in: query, schema: { type: string } }
  securitySchemes:
    key: { type: apiKey, in: header, name: X-API-Key }`,
  );
  const root = tempProject({ "openapi/openapi.yaml": document, ...files });
  return compile({ root });
}

/** The aggregate's prepared data as the build wrote it (data.ts beside the app: plain JSON when there is no merge module). */
function preparedData(appFile: string): unknown {
  const data = readFileSync(join(dirname(appFile), "data.ts"), "utf8");
  return JSON.parse(/^export function aggregate_\w+\(\) \{\n  return (.*);$/m.exec(data)![1]);
}

const URL_POINTER = "/paths/~1users~1{id}/get/x-portico/handler/options/requests/user/url";

describe("aggregate: a part's url", () => {
  it.each([
    "https://users.example.com/users/${params.id}?fields=${query.fields}&page=${query.page}",
    "${env.USERS}/users/${consumer.id}/${consumer.tier}",
    "${env.USERS}?user=${consumer.id}",
    "${env.SCHEME}://users.example.com/${params.id}",
    "https://${env.HOST}/users/${params.id}",
  ])("takes %s", async (url) => {
    const { errors } = await withUrl(url, { security: "security: [{ key: [] }]" });
    expect(errors.map((error) => error.format())).toEqual([]);
  });

  it("is parsed at build: text, and the values the run time fills in, path or query", async () => {
    const { appFile } = await withUrl("${env.USERS}/users/${params.id}?fields=${query.fields}", { security: "security: [{ key: [] }]" });
    expect(preparedData(appFile!)).toEqual({
      parts: [
        {
          name: "user",
          url: [
            { from: "env", name: "USERS" },
            "/users/",
            { from: "params", name: "id", inPath: true },
            "?fields=",
            { from: "query", name: "fields", inPath: false },
          ],
          method: "GET",
          timeout: 10000,
          optional: false,
          headers: [],
        },
      ],
      readsQuery: true,
    });
  });

  it.each([
    ["https://${query.fields}/users", /puts \$\{query\.fields\} where the host is/],
    ["https://users.example.com${params.id}/", /puts \$\{params\.id\} where the host is/],
    ["https://users.example.com:${query.page}/", /puts \$\{query\.page\} where the host is/],
    ["https://user:${consumer.id}@users.example.com/", /puts \$\{consumer\.id\} where the host is/],
    ["${env.USERS}${consumer.id}", /puts \$\{consumer\.id\} where the host is/],
    ["${env.USERS}.${query.fields}/x", /puts \$\{query\.fields\} where the host is/],
    ["${env.SCHEME}://${params.id}/users", /puts \$\{params\.id\} where the host is/],
    ["${consumer.id}/users", /begins with \$\{consumer\.id\}/],
    ["/users/${params.id}", /is relative/],
    ["ftp://users.example.com/${params.id}", /uses the scheme "ftp:"/],
    ["https://users.example.com/${query.fields", /never closed/],
  ])("refuses %s at the url, on its line, as a caller's value could choose the host", async (url, reason) => {
    const { errors } = await withUrl(url, { security: "security: [{ key: [] }]" });
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(reason)]);
    expect(errors[0].location).toMatchObject({ pointer: URL_POINTER, line: 18 });
    expect(errors[0].hint).toContain("docs/policies.md#aggregate");
  });

  it("refuses a query parameter the operation does not declare, and says which it does", async () => {
    const { errors } = await withUrl("https://users.example.com/users?f=${query.field}");
    expect(errors.map((error) => error.message)).toEqual([
      'The url "https://users.example.com/users?f=${query.field}" of part "user" of "aggregate" names ${query.field}, but GET /users/{id} declares no query parameter "field".',
    ]);
    expect(errors[0].location).toMatchObject({ pointer: URL_POINTER, line: 18 });
    expect(errors[0].hint).toMatch(/^Did you mean "fields"\? Declare it in the operation's parameters/);
  });

  it("refuses a path parameter the path does not have, as every x-portico template", async () => {
    const { errors } = await withUrl("https://users.example.com/users/${params.user}");
    expect(errors.map((error) => error.message)).toEqual(['"${params.user}" names no path parameter of this operation.']);
    expect(errors[0].location.pointer).toBe(URL_POINTER);
  });

  it("refuses a consumer field a url cannot hold", async () => {
    const { errors } = await withUrl("https://users.example.com/${consumer.ids}", { security: "security: [{ key: [] }]" });
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/names \$\{consumer\.ids\}, which is no field/)]);
    expect(errors[0].hint).toMatch(/^Did you mean "id"\?/);
  });

  it("warns where a caller without credentials would have no consumer to fill in", async () => {
    const { errors, warnings } = await withUrl("https://users.example.com/${consumer.id}");
    expect(errors).toEqual([]);
    expect(warnings.map((warning) => [warning.location.pointer, warning.message])).toContainEqual([
      URL_POINTER,
      expect.stringMatching(/may be called without credentials: such a call fails with 502/),
    ]);
  });

  it("leaves templates other than env and params refused in every other built-in's options", async () => {
    const document = spec(`  /search:
    get:
      parameters: [{ name: q, in: query, schema: { type: string } }]
      x-portico: { handler: { use: forward, options: { url: "https://search.example.com/\${query.q}" } } }
      responses: { "200": { description: ok } }`);
    const { errors } = await compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
    expect(errors.map((error) => error.message)).toContainEqual('"${query.q}" is not a template Portico knows.');
  });
});

describe("aggregate: the merge module", () => {
  it("is imported by the generated app", async () => {
    const merge = "export default (parts: Record<string, unknown>) => ({ merged: parts });\n";
    const document = spec(`  /dashboard:
    get:
      x-portico:
        handler: { use: aggregate, options: { requests: { user: { url: "https://users.example.com/me" } }, merge: policies/merge.ts } }
      responses: { "200": { description: ok } }`);
    const { errors, appFile } = await compile({ root: tempProject({ "openapi/openapi.yaml": document, "policies/merge.ts": merge }) });
    expect(errors.map((error) => error.format())).toEqual([]);
    const app = readFileSync(appFile!, "utf8");
    const name = /^import (\w+) from "\.\.\/policies\/merge\.ts";$/m.exec(app)?.[1];
    expect(name, "the app imports the merge module").toBeDefined();
    expect(app).toContain(`merge: ${name},`);
  });
});
