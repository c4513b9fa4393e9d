import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generatePortal } from "./generate.ts";

const fixture = (path: string) => gunzipSync(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url).pathname)).toString("utf8");
const documents = {
  stripe: parse(fixture("stripe/spec3.trimmed.yaml.gz")),
  openai: JSON.parse(fixture("openai/openapi.trimmed.json.gz")),
};
const temp = mkdtempSync(join(tmpdir(), "portal-links-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));

describe.each(Object.entries(documents))("the links of %s's portal", async (name, document) => {
  const outDir = join(temp, name, "dist", "portal");
  await generatePortal({ root: join(temp, name), document, operations: [], outDir });
  // Where Workers Static Assets find a served path: `x` in x.html, `folder/` in folder/index.html.
  const written = (path: string) => existsSync(join(outDir, path.endsWith("/") ? `${path}index.html` : `${path}.html`)) || existsSync(join(outDir, path));
  const servedAt = (file: string) => `/${file.slice(outDir.length + 1)}`.replace(/index\.html$/, "").replace(/\.html$/, "");

  it("name pages that exist, by the URLs they are served at", () => {
    const broken: string[] = [];
    let links = 0;
    for (const file of walk(outDir).filter((path) => path.endsWith(".html"))) {
      for (const [, href] of readFileSync(file, "utf8").matchAll(/\shref="([^"#]*)(?:#[^"]*)?"/g)) {
        if (href === "" || /^[a-z]+:|^\/\//i.test(href)) continue;
        links += 1;
        const path = decodeURIComponent(new URL(href, `http://portal${servedAt(file)}`).pathname);
        if (path.endsWith(".html") || !written(path)) broken.push(`${servedAt(file)} → ${href}`);
      }
    }
    expect(broken.slice(0, 10)).toEqual([]);
    expect(links).toBeGreaterThan(500);
  });

  it("every search result opens a page", () => {
    const index = JSON.parse(readFileSync(join(outDir, "docs", "search-index.json"), "utf8")) as Array<{ url: string }>;
    expect(index.filter(({ url }) => !written(url)).map(({ url }) => url)).toEqual([]);
    expect(index.length).toBeGreaterThan(50);
  });
});
