import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { headersFile, IMMUTABLE, portalAssets } from "./assets.ts";

const folder = mkdtempSync(join(tmpdir(), "portal-assets-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the portal's assets", () => {
  it("names each file by its content, and writes an imported script's name into the script that imports it", () => {
    const client = join(folder, "client");
    mkdirSync(client);
    writeFileSync(join(client, "search.js"), 'const matching = import(new URL("./search-match.js", here).href);\n');
    writeFileSync(join(client, "search-match.js"), "export const a = 1;\n");
    const first = portalAssets("body {}", client);
    const match = first.names.get("search-match.js")!;
    expect(match).toMatch(/^search-match\.[0-9a-f]{10}\.js$/);
    expect(first.names.get("portal.css")).toMatch(/^portal\.[0-9a-f]{10}\.css$/);
    const search = first.files.find((file) => file.name === first.names.get("search.js"))!;
    expect(search.content).toContain(`new URL("./${match}", here)`);
    // A change to the imported module renames the importer too, so no browser keeps the old pair.
    writeFileSync(join(client, "search-match.js"), "export const a = 2;\n");
    const second = portalAssets("body {}", client);
    expect(second.names.get("search-match.js")).not.toBe(match);
    expect(second.names.get("search.js")).not.toBe(first.names.get("search.js"));
    expect(second.names.get("portal.css")).toBe(first.names.get("portal.css"));
  });

  it("keeps hashed assets a year and every page briefly, with rules that never both match one path", () => {
    const headers = headersFile("/docs", ["operations", "schemas"]);
    expect(headers).toContain(`/docs/assets/*\n  Cache-Control: ${IMMUTABLE}\n`);
    for (const path of ["/docs/", "/docs/404", "/docs/errors", "/docs/search-index.json", "/docs/operations/*", "/docs/schemas/*"]) {
      expect(headers).toContain(`${path}\n  Cache-Control: public, max-age=300\n`);
    }
    expect(headers).not.toMatch(/^\/docs\/\*$/m);
    expect(headersFile("", ["operations"])).toContain("/assets/*\n");
  });
});
