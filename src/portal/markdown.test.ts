import { Marked } from "marked";
import { beforeEach, describe, expect, it } from "vitest";
import { description, descriptionLine, descriptionText, startDescriptions } from "./markdown.ts";

const petstore = {
  openapi: "3.1.0",
  servers: [{ url: "https://api.example.com/v1" }],
  paths: { "/pets": { post: { operationId: "createPet", tags: ["pets"] } } },
  components: { schemas: { Pet: { type: "object" } } },
};

describe("descriptions as CommonMark", () => {
  beforeEach(() => void startDescriptions("https://platform.example.com/", petstore));

  it("renders Markdown, and resolves links written for the API's own site against linkBase", () => {
    const html = description("**Starting a new project?** We recommend trying [Responses](/docs/api-reference/responses) and `stream: true`.");
    expect(html).toBe(
      '<p><strong>Starting a new project?</strong> We recommend trying <a href="https://platform.example.com/docs/api-reference/responses">Responses</a> and <code>stream: true</code>.</p>',
    );
    expect(description("See [streaming](./streaming-events) and [guides](../admin-api-keys).")).toContain(
      'href="https://platform.example.com/streaming-events"',
    );
  });

  it("keeps Stripe's inline HTML through the allow-list, its links resolved too", () => {
    const html = description('<p>Creates a <a href="/docs/api/customers">customer</a>. Returns <code>null</code> <strong>once</strong>.</p>');
    expect(html).toBe(
      '<p>Creates a <a href="https://platform.example.com/docs/api/customers">customer</a>. Returns <code>null</code> <strong>once</strong>.</p>',
    );
  });

  it("never renders script, handlers or unsafe URLs, and shows active elements as text", () => {
    const html = description(
      'A <script>alert(1)</script> <img src=x onerror=alert(2)> <iframe src=https://evil.example></iframe> [click](javascript:alert(3)) <a href="javascript:alert(4)">here</a> <b onclick="x()">bold</b>',
    );
    expect(html).not.toMatch(/<script|<iframe|onerror|onclick|javascript:/);
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("<b>bold</b>");
    expect(html).toContain("click");
    // A relative image resolves like a link; a handler never survives.
    expect(html).toContain('<img src="https://platform.example.com/x"');
  });

  it("keeps the text of tags HTML does not know (Stripe's <currency>)", () => {
    expect(description("A total of <currency>100</currency>, or <api_key>.")).toBe("<p>A total of <span>100</span>, or &lt;api_key&gt;.</p>");
  });

  it("links Redoc-style references to the portal's own pages", () => {
    const html = description("Made by [createPet](#operation/createPet), a [Pet](#/components/schemas/Pet) of [pets](#tag/pets).");
    expect(html).toContain('<a href="../operations/createPet">createPet</a>');
    expect(html).toContain('<a href="../schemas/Pet">Pet</a>');
    expect(html).toContain('<a href="../tags/pets">pets</a>');
    expect(description("[Pet](#/components/schemas/Pet)", "")).toContain('href="schemas/Pet"');
  });

  it("repairs what real documents get wrong: a link or bold left open at the end, two bold sentences glued", () => {
    expect(description("Created on a [FinancialAccount](/docs/api/treasury/financial_accounts")).toContain(
      '<a href="https://platform.example.com/docs/api/treasury/financial_accounts">FinancialAccount</a>',
    );
    expect(description("**Deprecated.****Use /v2 instead.**")).toBe("<p><strong>Deprecated.</strong> <strong>Use /v2 instead.</strong></p>");
    expect(description("As default. **This property is closing down. Use `x` instead.")).toBe(
      "<p>As default. <strong>This property is closing down. Use <code>x</code> instead.</strong></p>",
    );
    // Balanced, or in code: left as written.
    expect(description("Match `**/*.js` files, **all** of them")).toBe("<p>Match <code>**/*.js</code> files, <strong>all</strong> of them</p>");
  });

  it("renders plain one-line text without the parser exactly as the parser would", () => {
    const marked = new Marked({ gfm: true });
    for (const text of ["The ID of the pet.", "Year made; negative for BCE.", 'Quotes "like" this, and it\'s fine', "A - B (c) 2024 #1 50% off"]) {
      expect(description(text)).toBe((marked.parse(text, { async: false }) as string).trim());
    }
  });

  it("gives one line without links or blocks for summaries, cut as text past a length", () => {
    expect(descriptionLine("**Bold** and [a link](/x).\n\nSecond paragraph.")).toBe("<strong>Bold</strong> and a link.");
    expect(descriptionLine('<p>Creates a <a href="/x">customer</a>.</p>')).toBe("Creates a customer.");
    expect(descriptionLine(`**${"word ".repeat(60).trim()}**`, 40)).toBe(`${"word ".repeat(8).trim()}…`);
    expect(descriptionLine("![logo](https://example.com/logo.png) Pets")).toBe("logo Pets");
    expect(descriptionText("**Starting a new project?** Try [Responses](/docs) & more")).toBe("Starting a new project? Try Responses & more");
  });
});

describe("where relative links go", () => {
  it("defaults to the document's externalDocs, then its first server's origin, and says so", () => {
    let finish = startDescriptions(undefined, { ...petstore, externalDocs: { url: "https://docs.example.com/guide/" } });
    expect(description("[x](/docs/a)")).toContain('href="https://docs.example.com/docs/a"');
    expect(finish()).toEqual([expect.stringMatching(/^1 relative link\(s\) .* resolved against https:\/\/docs\.example\.com\/guide\/ \(its externalDocs\)/)]);

    finish = startDescriptions(undefined, petstore);
    expect(description("[x](/docs/a)")).toContain('href="https://api.example.com/docs/a"');
    expect(finish()[0]).toContain("its first server's origin");
  });

  it("shows a link as text, and warns, when there is no base to resolve it against", () => {
    const finish = startDescriptions(undefined, { ...petstore, servers: [{ url: "/v1" }] });
    expect(description("See [the guide](/docs/guides/x) or [the site](https://example.com).")).toBe(
      '<p>See the guide or <a href="https://example.com">the site</a>.</p>',
    );
    expect(finish()).toEqual([expect.stringContaining("1 relative link(s) in the document's descriptions have no base")]);
  });

  it("refuses a linkBase that is not an absolute URL, by a warning", () => {
    const finish = startDescriptions("docs.example.com", { ...petstore, servers: [] });
    expect(description("[x](/a)")).toBe("<p>x</p>");
    expect(finish()[0]).toMatch(/^linkBase in portal\/portal.config must be an absolute http\(s\) URL/);
  });
});
