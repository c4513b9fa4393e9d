import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { buildSearchIndex } from "./search-index.ts";

const readYaml = (path: string) => parse(readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url).href), "utf8"));
// The example as the repository ships it: the suite never reads the root's openapi/, which is the user's.
const museum = readYaml("test/fixtures/example/openapi/openapi.yaml");
const tictactoe = readYaml("test/fixtures/specs/oai-examples/tictactoe.yaml");

describe("buildSearchIndex", () => {
  it("lists every operation of the example with its summary, method, path and page", () => {
    const index = buildSearchIndex({ document: museum, guides: [], basePath: "/docs" });
    const operations = index.filter((entry) => entry.kind === "operation");
    const count = Object.values<Record<string, unknown>>(museum.paths).flatMap((item) =>
      Object.keys(item).filter((key) => ["get", "put", "post", "delete", "patch"].includes(key)),
    ).length;
    expect(operations).toHaveLength(count);
    expect(operations).toContainEqual(
      expect.objectContaining({ title: "List exhibits", url: "/docs/operations/listExhibits.html", text: expect.stringMatching(/^GET \/exhibits\b/) }),
    );
  });

  it("lists component schemas and 3.1 webhooks at their own pages", () => {
    const index = buildSearchIndex({ document: tictactoe, guides: [], basePath: "/docs" });
    expect(index).toContainEqual(expect.objectContaining({ kind: "schema", title: "status", url: "/docs/schemas/status.html" }));
    expect(index).toContainEqual({
      kind: "operation",
      title: "Status of mark operation",
      text: "Webhook markStatus · POST · Provides the status of the mark operation on completion",
      url: "/docs/webhooks/markStatus.html",
    });
  });

  it("indexes guides as plain text, with Markdown marks, code blocks and links reduced to their words", () => {
    const [guide] = buildSearchIndex({
      document: { openapi: "3.1.0", info: { title: "T", version: "1" } },
      guides: [
        {
          slug: "getting-started",
          title: "Getting started",
          text: "# Getting started\n\nSend **`Prefer: code=404`** to a [mocked](./mock.md) operation.\n\n```sh\ncurl -i x\n```\nThe rate_limit field _matters_.",
        },
      ],
      basePath: "/docs",
    });
    expect(guide).toEqual({
      kind: "guide",
      title: "Getting started",
      text: "Getting started Send Prefer: code=404 to a mocked operation. The rate_limit field matters.",
      url: "/docs/guides/getting-started.html",
    });
  });

  it("links from the site root whatever form the base path is written in", () => {
    const document = { paths: { "/a": { get: { operationId: "getA" } } } };
    const urls = ["/", "", "portal", "/portal/", "/dev/portal"].map((basePath) => buildSearchIndex({ document, guides: [], basePath })[0]!.url);
    expect(urls).toEqual([
      "/operations/getA.html",
      "/operations/getA.html",
      "/portal/operations/getA.html",
      "/portal/operations/getA.html",
      "/dev/portal/operations/getA.html",
    ]);
  });

  it("names an operation without operationId or summary by method and path, and encodes names for the URL", () => {
    const index = buildSearchIndex({
      document: { paths: { "/items/{id}": { get: {}, parameters: [] } }, components: { schemas: { "Item Page": { description: "One page." } } } },
      guides: [],
      basePath: "/docs",
    });
    expect(index).toEqual([
      { kind: "operation", title: "GET /items/{id}", text: "GET /items/{id}", url: "/docs/operations/GET%20%2Fitems%2F%7Bid%7D.html" },
      { kind: "schema", title: "Item Page", text: "One page.", url: "/docs/schemas/Item%20Page.html" },
    ]);
  });

  it("keeps long descriptions short, cut at a word, so a thousand operations stay a small download", () => {
    const description = "word ".repeat(500);
    const paths = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [`/r${i}`, { get: { operationId: `op${i}`, summary: `Operation ${i}`, description } }]),
    );
    const index = buildSearchIndex({ document: { paths }, guides: [], basePath: "/docs" });
    expect(index).toHaveLength(1000);
    expect(index[0]!.text.length).toBeLessThanOrEqual(260);
    expect(index[0]!.text).toMatch(/ word…$/);
    expect(JSON.stringify(index).length).toBeLessThan(400_000);
  });
});
