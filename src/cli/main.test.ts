import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../test/support/temp-project.ts";

const bin = fileURLToPath(new URL("../../bin/portico.js", import.meta.url).href);

function portico(args: string[], cwd?: string) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const good = { "openapi/openapi.yaml": spec(`  /a:\n    get:\n      x-portico: { handler: mock }\n      responses: { "200": { description: ok } }`) };
const broken = { "openapi/openapi.yaml": spec(`  /a:\n    get:\n      x-portico: { handler: mokc }\n      responses: { "200": { description: ok } }`) };

describe("portico", () => {
  it("--help explains each command", () => {
    const { code, stdout } = portico(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/build\s+Compile/);
    expect(stdout).toMatch(/check\s+Validate/);
    expect(portico(["build", "--help"]).stdout).toMatch(/writes \.portico\/app\.ts/);
  });

  it("check exits 1 and prints what, where and how to fix", () => {
    const { code, stderr } = portico(["check"], tempProject(broken));
    expect(code).toBe(1);
    expect(stderr).toContain('✘ ERROR: Unknown policy or handler "mokc".');
    expect(stderr).toContain("at openapi/openapi.yaml:7:");
    expect(stderr).toContain("/paths/~1a/get/x-portico/handler");
    expect(stderr).toMatch(/fix: Use a built-in or named one/);
  });

  it("check exits 0 and writes nothing on a good project", () => {
    const root = tempProject(good);
    const { code, stdout } = portico(["check"], root);
    expect(code).toBe(0);
    expect(stdout).toMatch(/1 operation\(s\) checked/);
    expect(existsSync(join(root, ".portico"))).toBe(false);
  });

  it("build --json reports for CI and writes the app", () => {
    const root = tempProject(good);
    const { code, stdout } = portico(["build", "--json", "--root", root]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, operations: 1, errors: [] });
    expect(existsSync(join(root, ".portico/app.ts"))).toBe(true);
  });

  it("build --json lists located errors", () => {
    const { code, stdout } = portico(["build", "--json", "--root", tempProject(broken)]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).errors[0]).toMatchObject({ file: "openapi/openapi.yaml", pointer: "/paths/~1a/get/x-portico/handler", line: 7 });
  });

  it("refuses an unknown command", () => {
    const { code, stderr } = portico(["deploy-everything"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command "deploy-everything"/);
  });
});
