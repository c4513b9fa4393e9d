import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compile } from "../../compiler/compile.ts";
import type { Deprecation } from "./deprecations.ts";
import { applyMigration, planMigration } from "./migrate-plan.ts";
import { PORTICO_ROOT, requirements } from "./requirements.ts";

const FIXTURE = join(import.meta.dirname, "../../../test/fixtures/fork-layout");
const made: string[] = [];
afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function forkCopy(): string {
  const root = mkdtempSync(join(tmpdir(), "portico-fork-"));
  made.push(root);
  cpSync(FIXTURE, root, { recursive: true });
  return root;
}

describe("portico migrate on a fork", () => {
  it("moves it onto the portico package, and it builds", async () => {
    const root = forkCopy();
    const needs = requirements();
    const plan = planMigration(root);
    expect(plan.changes.map((change) => change.file)).toEqual(["package.json", "wrangler.toml", "src/", "bin/"]);
    applyMigration(root, plan);

    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.dependencies).toEqual({ zod: "^3.25.0", portico: `^${needs.version}` });
    expect(pkg.devDependencies).toEqual({
      "@cloudflare/vitest-plugin": "^1.5.0",
      node: "^24.21.0",
      typescript: "^7.0.2",
      vitest: "^5.1.1",
      wrangler: needs.wrangler,
    });
    expect(pkg.scripts).toEqual({
      build: "portico build",
      check: "portico check",
      dev: "portico dev",
      deploy: "wrangler deploy",
      test: "vitest run",
      seed: "node scripts/seed.ts",
    });
    expect(pkg.bin).toBeUndefined();
    expect(pkg.exports).toBeUndefined();
    expect(existsSync(join(root, "src"))).toBe(false);
    expect(existsSync(join(root, "bin"))).toBe(false);

    const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
    const before = readFileSync(join(FIXTURE, "wrangler.toml"), "utf8");
    expect(toml).toBe(
      before
        .replace('main = "src/worker.ts"', 'main = ".portico/worker.ts"')
        .replace('command = "node bin/portico.js build"', 'command = "npx portico build"')
        .replace('# User modules in policies/ import from "portico": the gateway\'s public API.\n[alias]\nportico = "./src/index.ts"\n\n', ""),
    );

    const result = await compile({ root, typecheck: true });
    expect(result.errors.map((error) => error.message)).toEqual([]);
    expect(result.warnings.map((warning) => warning.message)).toEqual([]);
    expect(existsSync(join(root, ".portico", "app.ts"))).toBe(true);
    // Nothing is left to move: a second run changes nothing.
    expect(planMigration(root).changes).toEqual([]);
  });

  it("renames a deprecated key in the document, comments kept, and the project still builds", async () => {
    const root = forkCopy();
    const document = join(root, "openapi", "openapi.yaml");
    const current = readFileSync(document, "utf8");
    writeFileSync(document, current.replace("window: 60", "windowSeconds: 60"));
    const deprecations: Deprecation[] = [{ in: { options: "rate-limit" }, from: "windowSeconds", to: "window", since: "0.2.0" }];
    const plan = planMigration(root, { deprecations });
    expect(plan.changes[0]).toMatchObject({ file: "openapi/openapi.yaml", notes: ['line 16: "windowSeconds" → "window" (deprecated since 0.2.0)'] });
    applyMigration(root, plan);
    expect(readFileSync(document, "utf8")).toBe(current);
    expect(current).toContain("per-ip: # ten a minute per address");
    expect((await compile({ root })).errors).toEqual([]);
  });

  it("never takes Portico's own repository for a fork", () => {
    expect(planMigration(PORTICO_ROOT).changes).toEqual([]);
  });

  it("writes nothing until applied", () => {
    const root = forkCopy();
    planMigration(root);
    expect(readFileSync(join(root, "package.json"), "utf8")).toBe(readFileSync(join(FIXTURE, "package.json"), "utf8"));
    expect(existsSync(join(root, "src", "worker.ts"))).toBe(true);
  });
});
