import { describe, expect, it } from "vitest";
import { highlightCode } from "./highlight.ts";
import { operationModel } from "./operation-model.ts";
import { operationBody } from "./operation-page.ts";

const hostile = "</code><script>alert(1)</script>";
const document = {
  openapi: "3.1.0",
  info: { title: "Notes", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  paths: {
    "/notes": {
      post: {
        operationId: "createNote",
        requestBody: { content: { "application/json": { schema: { type: "object" }, example: { text: hostile, pinned: true, stars: 3 } } } },
        responses: { "201": { description: "created", content: { "application/json": { example: { id: "n1", note: hostile } } } } },
      },
    },
  },
};

function render(): string {
  const operation = document.paths["/notes"].post;
  const model = operationModel(document, "createNote", "post", "/notes", document.paths["/notes"], operation);
  return operationBody(document, model, { limits: [], up: "../" });
}

/** The text a reader sees: tags dropped, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

describe("build-time highlighting", () => {
  const page = render();

  it("ships each code sample as highlighted token spans", () => {
    for (const language of ["bash", "javascript", "python"]) {
      const block = page.match(new RegExp(`<code class="hljs language-${language}">([\\s\\S]*?)</code></pre>`))?.[1] ?? "";
      expect(block, language).toMatch(/<span class="[a-z]">/);
    }
    expect(page).toMatch(/<span class="s">[^<]*https:\/\/api\.example\.com\/notes/);
  });

  it("colours JSON examples by token", () => {
    expect(page).toContain('<code class="hljs language-json">');
    expect(page).toContain('<span class="a">"pinned"</span>');
    expect(page).toContain('<span class="n"><span class="k">true</span></span>');
    expect(page).toContain('<span class="n">3</span>');
  });

  it("leaves out spans no style colours, and shows a large example as text", () => {
    expect(page).not.toContain("hljs-");
    // Python's parameters are a span of no colour around coloured ones: it goes, they stay, every span closed.
    const code = highlightCode('def f(a, b="x"):\n    return a', "python");
    expect(code).toBe('<span class="k">def</span> <span class="t">f</span>(a, b=<span class="s">"x"</span>):\n    <span class="k">return</span> a');
    const large = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, note: hostile })) }, null, 2);
    const shown = highlightCode(large, "json");
    expect(shown).not.toContain("<span");
    expect(visibleText(shown)).toBe(large);
  });

  it("keeps markup inside example values and samples escaped", () => {
    expect(page).not.toContain("<script>");
    expect(page).not.toContain("</code><script");
    expect(page).toContain("&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    // Same text as before highlighting, only wrapped in spans.
    expect(visibleText(highlightCode(`{"a": "${hostile}"}`, "json"))).toBe(`{"a": "${hostile}"}`);
  });

  it("ships no highlighter script to the browser", () => {
    expect(page).not.toMatch(/<script[^>]*highlight/i);
    expect(page).not.toContain("hljs.");
  });
});
