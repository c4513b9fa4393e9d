import { describe, expect, it } from "vitest";
import { codeSamples, samplesOf } from "./code-samples.ts";
import { exampleHomes } from "./example-homes.ts";
import { page, type Layout } from "./layout.ts";
import { operationBody } from "./operation-page.ts";
import { operationModel } from "./operation-model.ts";
import { laterSamplesHref, samplesPageBody } from "./samples-page.ts";

const issue = { id: 1, title: "Found a bug", body: "x".repeat(1_200), state: "open" };
const document: Record<string, any> = {
  openapi: "3.1.0",
  info: { title: "Issues", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  components: { examples: { issue: { value: issue } } },
  paths: Object.fromEntries(
    ["get", "patch"].map((method) => [
      `/issues/{n}/${method}`,
      {
        [method]: {
          operationId: `issue-${method}`,
          tags: ["issues"],
          parameters: [{ name: "n", in: "path", required: true, schema: { type: "integer" } }],
          responses: { "200": { description: "OK", content: { "application/json": { examples: { default: { $ref: "#/components/examples/issue" } } } } } },
        },
      },
    ]),
  ),
};
const modelOf = (method: string) => {
  const path = `/issues/{n}/${method}`;
  return operationModel(document, `issue-${method}`, method, path, document.paths[path], document.paths[path][method]);
};

describe("a large API's pages", () => {
  it("keep curl, JavaScript and Python, and link the other languages on the tag's samples page", () => {
    const href = laterSamplesHref("../", "issues", "issue-get");
    const html = codeSamples(document, modelOf("get"), href);
    const labels = [...html.matchAll(/<summary>([^<]*)<\/summary>/g)].map((match) => match[1]);
    expect(labels).toEqual(["curl", "JavaScript", "Python", "Go, Java, C#, PHP, Ruby"]);
    expect(html).toContain(`<a href="../samples/issues#issue-get">`);
    const later = samplesOf(document, modelOf("get")).filter((sample) => sample.later);
    const samplesPage = samplesPageBody("issues", [{ slug: "issue-get", label: "Get an issue", samples: later }]);
    expect(samplesPage).toContain('<section id="issue-get" data-samples>');
    expect([...samplesPage.matchAll(/<h3>([^<]*)<\/h3><pre><code>/g)].map((match) => match[1])).toEqual(["Go", "Java", "C#", "PHP", "Ruby"]);
    expect(samplesPage).toContain("https://api.example.com/issues/");
  });

  it("show a large example several operations share once, the others linking to it", () => {
    const operations = ["get", "patch"].map((method) => ({
      slug: `issue-${method}`,
      label: method,
      operation: document.paths[`/issues/{n}/${method}`][method],
    }));
    const elsewhere = exampleHomes(document, operations, new Set());
    const first = operationBody(document, modelOf("get"), { limits: [], up: "../", exampleElsewhere: elsewhere("issue-get") });
    const second = operationBody(document, modelOf("patch"), { limits: [], up: "../", exampleElsewhere: elsewhere("issue-patch") });
    expect(first).toContain("x".repeat(1_200));
    expect(first).toContain('id="response-200-application-json-examples"');
    expect(second).not.toContain("x".repeat(1_200));
    expect(second).toContain('The same as the example of <a href="issue-get#response-200-application-json-examples">response 200 of get</a>');
  });
});

describe("the header's sign-in link", () => {
  const layout: Layout = { siteTitle: "T", basePath: "/docs", nav: { groups: [], guides: [], hasWebhooks: false }, assets: new Map() };

  it("offers to sign in on every page when portal.config has auth, and names the keys page on it", () => {
    expect(page({ ...layout, signIn: true }, { title: "x", up: "../", path: "operations/a", body: "" })).toContain(
      '<a class="account" href="../keys">Sign in</a>',
    );
    expect(page({ ...layout, signIn: true }, { title: "x", up: "", path: "keys", body: "" })).toContain(
      '<a class="account" href="keys" aria-current="page">My keys</a>',
    );
    expect(page(layout, { title: "x", up: "", body: "" })).not.toContain('class="account"');
  });
});
