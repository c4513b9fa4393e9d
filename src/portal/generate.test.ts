import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BUILD_FAILED, PROBLEM } from "../runtime/errors.ts";
import { generatePortal } from "./generate.ts";
import { withSharedFixtures } from "../../test/support/shared-fixtures.ts";

const specs = new URL("../../test/fixtures/specs/", import.meta.url).pathname;
const temp = mkdtempSync(join(tmpdir(), "portal-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function load(relative: string): Record<string, any> {
  return parse(readFileSync(join(specs, relative), "utf8"));
}

async function build(
  name: string,
  document: Record<string, any>,
  operations: Parameters<typeof generatePortal>[0]["operations"] = [],
  files: Record<string, string> = {},
) {
  const root = join(temp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const result = await generatePortal({ root, document, operations, outDir: join(root, "dist", "portal") });
  const site = join(root, "dist", "portal", "docs");
  return { result, site, read: (path: string) => readFileSync(join(site, path), "utf8") };
}

describe("generatePortal on the museum document", async () => {
  const { result, site, read } = await build(
    "museum",
    load("redocly-museum/openapi.yaml"),
    [
      {
        operationId: "buyMuseumTickets",
        method: "post",
        path: "/tickets",
        limits: [{ kind: "rate-limit", name: "buy", limit: 10, window: 60, by: "ip", tiers: { gold: { limit: 1000 } } }],
      },
      {
        operationId: "getMuseumHours",
        method: "get",
        path: "/museum-hours",
        limits: [{ kind: "cache", name: "hours", by: "shared", ttl: 300, staleWhileRevalidate: 30 }],
      },
    ],
    { "portal/pages/visiting.md": "---\ntitle: Visiting us\norder: 2\ngroup: Basics\n---\n# Visiting\n\nCome **early**.\n" },
  );

  it("writes the home, one page per operation, schemas, tags, guides, the search index and the stylesheet", () => {
    for (const path of [
      "index.html",
      "operations/buyMuseumTickets.html",
      "operations/getMuseumHours.html",
      "schemas/SpecialEvent.html",
      "tags/Events.html",
      "guides/visiting.html",
      "search-index.json",
    ]) {
      expect(existsSync(join(site, path)), path).toBe(true);
    }
    // The stylesheet and scripts are named by their content, so browsers may keep them a year.
    expect(readdirSync(join(site, "assets")).filter((name) => /^(portal|theme|search)\.[0-9a-f]{10}\.(css|js)$/.test(name))).toHaveLength(3);
    expect(readFileSync(join(site, "..", "_headers"), "utf8")).toContain("/docs/assets/*\n  Cache-Control: public, max-age=31536000, immutable");
    expect(result.pages).toBeGreaterThan(20);
    expect(read("guides/visiting.html")).toContain("<strong>early</strong>");
    expect(read("index.html")).toContain('href="guides/visiting">Visiting us</a>');
  });

  it("shows an operation's method, path, parameters, examples, security, limits, samples and try-it form", () => {
    const page = read("operations/buyMuseumTickets.html");
    expect(page).toContain('<span class="method method-post">POST</span> <code class="path">/tickets</code>');
    expect(page).toContain("MuseumPlaceholderAuth");
    expect(page).toContain("HTTP Basic");
    // Both named request examples are rendered and selectable.
    expect(page).toContain("General entry ticket");
    expect(page).toContain("Special event ticket");
    expect(page).toMatch(/<select data-example-select[^>]*>.*General entry ticket/s);
    expect(page).toContain("<td>gold</td><td>1000 per 60 s</td>");
    expect(page).toContain(
      '<form class="try-it" data-try-it data-method="POST" data-path="/tickets" data-server="https://redocly.com/_mock/docs/openapi/museum-api">',
    );
    expect(page).toContain('name="auth.basic.user"');
    expect(page).toContain('<textarea id="try-buyMuseumTickets-body" name="body"');
    expect(page).toContain("curl https://redocly.com/_mock/docs/openapi/museum-api/tickets");
    expect(page).toContain("Authorization: Basic");
    expect(page).toContain("requests.post(");
    // Samples are highlighted into token spans; the reader sees the text without them.
    expect(page.replace(/<[^>]*>/g, "")).toContain("fetch(");

    const hours = read("operations/getMuseumHours.html");
    expect(hours).toMatch(/<td><code>startDate<\/code><\/td><td>query<\/td><td>string \(date\)<\/td><td>no<\/td>/);
    expect(hours).toContain('name="query.limit" value="15"');
    expect(hours).toContain("<td><code>10</code></td>");
    expect(hours).toContain("<li>Answers are cached for 300 s, then served up to 30 s longer while refreshed, shared: every caller gets the same answer.</li>");
    expect(hours).not.toContain('id="limits"');
    expect(page).not.toContain('id="caching"');
  });

  it("keeps the home page small, and links it to the errors page", () => {
    expect(statSync(join(site, "index.html")).size).toBeLessThan(150_000);
    expect(readFileSync(join(site, "index.html"), "utf8")).toContain('href="errors"');
  });

  it("has an errors page with an anchor for every problem type the gateway emits", () => {
    const errors = read("errors.html");
    for (const kind of [...Object.values(PROBLEM), BUILD_FAILED]) expect(errors).toContain(`id="${kind.type}"`);
  });

  it("indexes operations, schemas and guides for search", () => {
    const index = JSON.parse(read("search-index.json")) as Array<{ kind: string; url: string }>;
    expect(new Set(index.map((entry) => entry.kind))).toEqual(new Set(["operation", "schema", "guide"]));
    expect(index.some((entry) => entry.url === "/docs/operations/buyMuseumTickets")).toBe(true);
  });
});

describe("generatePortal on tictactoe and petstore", () => {
  it("puts the API key header and the bearer credential into samples and the form, with scopes", async () => {
    const { read } = await build("tictactoe", load("oai-examples/tictactoe.yaml"));
    const board = read("operations/get-board.html");
    expect(board).toContain("api-key: YOUR_API_KEY");
    expect(board).toContain('name="auth.apiKey" data-in="header" data-name="api-key"');
    expect(board).toContain('name="auth.bearer"');
    expect(board).toContain("<code>board:read</code>");
    const square = read("operations/put-square.html");
    expect(square).toContain('name="path.row"');
    expect(square).toContain("Authorization: Bearer YOUR_TOKEN");
    expect(read("webhooks/markStatus.html")).toContain("POST");
  });

  it("renders petstore with a relative link to each operation from its tag page", async () => {
    const { read } = await build("petstore", load("oai-examples/petstore.yaml"));
    expect(read("tags/pets.html")).toContain('href="../operations/showPetById"');
    expect(read("operations/showPetById.html")).toContain('name="path.petId"');
  });
});

describe("generatePortal on hostile and recursive documents", () => {
  const document = {
    openapi: "3.1.0",
    info: { title: "T<script>alert(1)</script>", version: "1" },
    paths: {
      "/nodes": {
        get: {
          operationId: "listNodes",
          summary: "<img src=x onerror=alert(1)>",
          description: "Nodes <script>alert('x')</script> and **bold**.",
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } },
        },
      },
    },
    components: {
      schemas: {
        Node: {
          type: "object",
          description: "A <b>tree</b> node",
          properties: {
            name: { type: ["string", "null"] },
            children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
            shape: { oneOf: [{ $ref: "#/components/schemas/Node" }, { type: "integer" }] },
          },
        },
      },
    },
  };

  it("escapes markup from the document and cuts recursion", async () => {
    const { read } = await build("hostile", document);
    const page = read("operations/listNodes.html");
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("Nodes &lt;script&gt;alert('x')&lt;/script&gt;");
    expect(page).toContain("<strong>bold</strong>");
    expect(read("index.html")).not.toContain("<script>alert(1)");
    // The operation links the component; its tree is drawn once, on the component's own page.
    expect(page).toMatch(/<a class="schema-link" href="\.\.\/schemas\/[^"]+">Node<\/a>/);
    expect(page).not.toContain("One of");
    const component = read(`schemas/${/class="schema-link" href="\.\.\/schemas\/([^"]+)"/.exec(page)![1]}.html`);
    // Inline HTML of the allow-list is kept (Stripe writes <p> and <a>), and the description is shown once.
    expect(component.split("<p>A <b>tree</b> node</p>")).toHaveLength(2);
    expect(component).toContain("↻ recursive");
    expect(component).toContain("string | null");
    expect(component).toContain("One of");
    expect(page.length).toBeLessThan(20_000);
  });
});

const openai = new URL("../../../shared/fixtures/openapi/real-world/openai/openapi.json", import.meta.url).pathname;
describe("generatePortal on a large real document", withSharedFixtures, () => {
  it("builds the OpenAI document's portal with small pages", async () => {
    const document = JSON.parse(readFileSync(openai, "utf8"));
    const started = performance.now();
    const { result, site } = await build("openai", document);
    const seconds = (performance.now() - started) / 1000;
    const operations = readdirSync(join(site, "operations"));
    const largest = Math.max(...operations.map((name) => statSync(join(site, "operations", name)).size));
    console.log(
      `openai: ${result.pages} pages, ${(result.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s; largest operation page ${(largest / 1e3).toFixed(0)} KB`,
    );
    expect(operations.length).toBeGreaterThan(100);
    expect(statSync(join(site, "index.html")).size).toBeLessThan(150_000);
  }, 120_000);
});
