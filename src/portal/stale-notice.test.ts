import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempProject } from "../../test/support/temp-project.ts";
import { BUILD_ERRORS_PATH, markPortalStale } from "./stale-notice.ts";

const page = (title: string) =>
  `<!doctype html>\n<html lang="en">\n<head><title>${title}</title></head>\n<body data-base-path="/docs">\n<main>${title}</main>\n</body>\n</html>\n`;
const placeholder = `<!doctype html>\n<html lang="en">\n<meta charset="utf-8">\n<p>The portal appears here once the project builds.</p>\n</html>\n`;
const error = (message: string, line: number) => ({ message, location: { file: "openapi/openapi.yaml", line, column: 7 } });

const root = tempProject({
  "dist/portal/docs/index.html": page("Overview"),
  "dist/portal/docs/operations/list.html": page("List"),
  "dist/portal/docs/assets/portal.css": "body {}",
  "placeholder/docs/index.html": placeholder,
});
const portal = join(root, "dist/portal");
const read = (path: string) => readFileSync(join(portal, path), "utf8");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("markPortalStale", () => {
  it("tops every page with the first error, where it is, how many more, and a link to them all", () => {
    expect(markPortalStale(portal, [error("Duplicate <operationId>", 215), error("Another", 9)])).toBe(2);
    for (const path of ["docs/index.html", "docs/operations/list.html"]) {
      const html = read(path);
      const notice = html.slice(html.indexOf("<body"), html.indexOf("<main>"));
      expect(notice).toContain("This portal is from the last good build;");
      expect(notice).toContain("Duplicate &lt;operationId&gt; <code>openapi/openapi.yaml:215:7</code> (and 1 more)");
      expect(notice).toContain(`href="${BUILD_ERRORS_PATH}"`);
      expect(notice).toContain('role="alert"');
    }
    expect(read("docs/assets/portal.css")).toBe("body {}");
  });

  it("replaces the notice of an earlier failed build rather than adding a second", () => {
    markPortalStale(portal, [error("Now this", 3)]);
    const html = read("docs/index.html");
    expect(html.match(/data-stale-portal/g)).toHaveLength(1);
    expect(html).toContain("Now this <code>openapi/openapi.yaml:3:7</code>. ");
    expect(html).not.toContain("Duplicate");
    expect(html).toContain('<body data-base-path="/docs">\n<div data-stale-portal');
  });

  it("leaves the placeholder of a project never built alone, and a missing portal is no error", () => {
    expect(markPortalStale(join(root, "placeholder"), [error("Broken", 1)])).toBe(0);
    expect(readFileSync(join(root, "placeholder/docs/index.html"), "utf8")).toBe(placeholder);
    expect(markPortalStale(join(root, "nowhere"), [error("Broken", 1)])).toBe(0);
  });
});
