import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../test/support/temp-project.ts";
import { ensureAssets, localUrls } from "./dev.ts";

// The real `npm run dev` printing these is tested in test/node/dev-server.test.ts.
const paths = `  /a:\n    get:\n      x-portico: { handler: mock }\n      responses: { "200": { description: ok } }`;
const printed = (ready: string, root: string) => stripVTControlCharacters(localUrls(ready, root));

describe("portico dev's local URLs", () => {
  it("name the gateway under the path of servers[0], on the address wrangler reports", () => {
    const root = tempProject({
      "openapi/openapi.yaml": spec(paths, "servers:\n  - url: https://api.example.com/{version}/\n    variables: { version: { default: v2 } }"),
    });
    expect(printed("http://127.0.0.1:9000", root)).toBe("\nPortico is running:\n  gateway  http://127.0.0.1:9000/v2\n");
  });

  it("add the portal when the project has a portal/ folder (the build writes one for it)", () => {
    const root = tempProject({ "openapi/openapi.yaml": spec(paths), "portal/pages/index.md": "# Hi" });
    expect(printed("http://127.0.0.1:8787", root)).toContain("  gateway  http://127.0.0.1:8787/\n  portal   http://127.0.0.1:8787/docs\n");
    expect(printed("http://127.0.0.1:8787", tempProject({ "openapi/openapi.yaml": spec(paths) }))).not.toContain("portal");
  });

  it("give this machine's loopback address when wrangler listens on every address, and the root when the spec cannot be read", () => {
    const root = tempProject({ "openapi/openapi.yaml": "openapi: [unclosed" });
    expect(printed("http://0.0.0.0:8787", root)).toContain("gateway  http://127.0.0.1:8787/\n");
  });
});

describe("portico dev's assets folder", () => {
  const wrangler = '[assets]\ndirectory = "./dist/portal"\n';

  it("is made before wrangler starts, with a page at /docs until the portal is built", () => {
    const root = tempProject({ "wrangler.toml": wrangler, "portal/pages/index.md": "# Hi" });
    ensureAssets(root);
    expect(readFileSync(join(root, "dist/portal/docs/index.html"), "utf8")).toContain("The portal appears here once the project builds.");
  });

  it("is left alone when it exists, and made empty for a project without a portal", () => {
    const built = tempProject({ "wrangler.toml": wrangler, "portal/pages/index.md": "# Hi" });
    mkdirSync(join(built, "dist/portal"), { recursive: true });
    ensureAssets(built);
    expect(readdirSync(join(built, "dist/portal"))).toEqual([]);
    const bare = tempProject({ "wrangler.toml": wrangler });
    ensureAssets(bare);
    expect(readdirSync(join(bare, "dist/portal"))).toEqual([]);
    const none = tempProject({ "wrangler.toml": 'name = "t"\n' });
    ensureAssets(none);
    expect(existsSync(join(none, "dist"))).toBe(false);
  });
});
