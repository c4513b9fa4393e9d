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
  it("lists every operation of the example with its summary, operationId, method, path and page", () => {
    const index = buildSearchIndex({ document: museum, guides: [], basePath: "/docs" });
    const operations = index.filter((entry) => entry.kind === "operation");
    const count = Object.values<Record<string, unknown>>(museum.paths).flatMap((item) =>
      Object.keys(item).filter((key) => ["get", "put", "post", "delete", "patch"].includes(key)),
    ).length;
    expect(operations).toHaveLength(count);
    expect(operations).toContainEqual(
      expect.objectContaining({ title: "List exhibits", id: "listExhibits", method: "GET", path: "/exhibits", url: "/docs/operations/listExhibits" }),
    );
  });

  it("lists component schemas and 3.1 webhooks at their own pages", () => {
    const index = buildSearchIndex({ document: tictactoe, guides: [], basePath: "/docs" });
    expect(index).toContainEqual(expect.objectContaining({ kind: "schema", title: "status", url: "/docs/schemas/status" }));
    expect(index).toContainEqual({
      kind: "operation",
      title: "Status of mark operation",
      text: "Provides the status of the mark operation on completion",
      url: "/docs/webhooks/markStatus",
      id: "markStatus",
      method: "POST",
    });
  });

  it("shows summaries and descriptions as the plain text the pages read, without Markdown marks", () => {
    const document = {
      openapi: "3.1.0",
      info: { title: "T", version: "1" },
      paths: {
        "/chat": {
          post: {
            operationId: "createChat",
            summary: "Creates a **model response** for the chat.\n\nSee the [guide](https://example.com/guide) and `stream`.",
          },
        },
        "/files": { get: { operationId: "listFiles", summary: "List _files_", description: "Returns the **files**:\n\n- uploaded\n- created" } },
      },
      webhooks: { fileReady: { post: { summary: "A `file` is **ready**" } } },
    };
    const index = buildSearchIndex({ document, guides: [], basePath: "/docs" });
    const byId = (id: string) => index.find((entry) => entry.id === id)!;
    expect(byId("createChat").text).toBe("Creates a model response for the chat. See the guide and stream.");
    expect(byId("listFiles")).toMatchObject({ title: "List files", text: "Returns the files: uploaded created" });
    expect(byId("fileReady").title).toBe("A file is ready");
    for (const entry of index) expect(`${entry.title} ${entry.text}`).not.toMatch(/[*`_]|\]\(/);
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
      url: "/docs/guides/getting-started",
    });
  });

  it("links from the site root whatever form the base path is written in", () => {
    const document = { paths: { "/a": { get: { operationId: "getA" } } } };
    const urls = ["/", "", "portal", "/portal/", "/dev/portal"].map((basePath) => buildSearchIndex({ document, guides: [], basePath })[0]!.url);
    expect(urls).toEqual(["/operations/getA", "/operations/getA", "/portal/operations/getA", "/portal/operations/getA", "/dev/portal/operations/getA"]);
  });

  it("names an operation without operationId or summary by method and path, and links every page by the name it is written under", () => {
    const index = buildSearchIndex({
      document: { paths: { "/items/{id}": { get: {}, parameters: [] } }, components: { schemas: { "Item Page": { description: "One page." } } } },
      guides: [],
      basePath: "/docs",
    });
    expect(index).toEqual([
      {
        kind: "operation",
        title: "GET /items/{id}",
        text: "",
        url: "/docs/operations/GET-items-id",
        id: "GET /items/{id}",
        method: "GET",
        path: "/items/{id}",
      },
      { kind: "schema", title: "Item Page", text: "One page.", url: "/docs/schemas/Item-Page" },
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
