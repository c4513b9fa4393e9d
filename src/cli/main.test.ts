import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../test/support/temp-project.ts";

const bin = fileURLToPath(new URL("../../bin/portico.js", import.meta.url).href);
const ANSI = /\x1b\[/;
/** The machine's own Node, older than the project's; the test that needs it is skipped without it. */
const oldNode = "/usr/bin/node";

/** Runs the CLI with stdout and stderr piped; colours as the environment given asks (none by default). */
function portico(args: string[], cwd?: string, colour: Record<string, string> = { NO_COLOR: "1" }) {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, PORTICO_ADMIN_TOKEN: undefined, ...colour };
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env });
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
    expect(portico(["dev", "--help"]).stdout).toMatch(/Every option goes to wrangler dev/);
  });

  it("check exits 1 and prints what, where and how to fix", () => {
    const { code, stderr } = portico(["check"], tempProject(broken));
    expect(code).toBe(1);
    expect(stderr).toContain('✘ ERROR: Unknown policy or handler "mokc".');
    expect(stderr).toContain("at openapi/openapi.yaml:7:");
    expect(stderr).toContain("/paths/~1a/get/x-portico/handler");
    expect(stderr).toContain('fix: Did you mean "mock"? Use a built-in or named one');
  });

  it("check exits 0 and writes nothing on a good project", () => {
    const root = tempProject(good);
    const { code, stdout } = portico(["check"], root);
    expect(code).toBe(0);
    expect(stdout).toMatch(/1 operation\(s\) checked/);
    expect(existsSync(join(root, ".portico"))).toBe(false);
  });

  it("examples that break their schema: one line, each with --verbose or --json, errors with --strict", () => {
    const root = tempProject({
      "openapi/openapi.yaml": spec(`  /a:
    get:
      x-portico: { handler: mock }
      parameters:
        - { name: since, in: query, schema: { type: string, format: date-time }, example: "2008-01-02" }
        - { name: until, in: query, schema: { type: string, format: date-time }, example: "2008-01" }
      responses: { "200": { description: ok } }`),
    });
    const plain = portico(["check"], root);
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain("WARNING: This example breaks its schema");
    expect(plain.stderr).toContain(
      "portico check: 2 example(s) of 2 break their schema. See each, located, with --verbose or --json; --strict makes them errors.",
    );
    const verbose = portico(["check", "--verbose"], root);
    expect(verbose.stderr.match(/WARNING: This example breaks its schema/g)).toHaveLength(2);
    expect(verbose.stderr).toContain("at openapi/openapi.yaml:9:");
    const json = JSON.parse(portico(["check", "--json"], root).stdout);
    expect(json.examples).toEqual({ checked: 2, broken: 2, replaced: 0 });
    expect(json.warnings.filter((w: { group?: string }) => w.group === "examples").map((w: { pointer: string }) => w.pointer)).toEqual([
      "/paths/~1a/get/parameters/0/example",
      "/paths/~1a/get/parameters/1/example",
    ]);
    const strict = portico(["check", "--strict"], root);
    expect(strict.code).toBe(1);
    expect(strict.stderr.match(/ERROR: This example breaks its schema/g)).toHaveLength(2);
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

  it("check type-checks policies/: an option misspelt against its schema, at its line and column with a code frame", () => {
    const root = tempProject({
      "openapi/openapi.yaml": spec(
        `  /a:\n    get:\n      x-portico: { handler: mock, inbound: [./policies/greeting.ts] }\n      responses: { "200": { description: ok } }`,
      ),
      "policies/greeting.ts": greetingPolicy("options.greting"),
    });
    const { code, stderr } = portico(["check"], root);
    expect(code).toBe(1);
    expect(stderr).toContain(
      [
        "✘ ERROR: Property 'greting' does not exist on type '{ greeting: string; }'. Did you mean 'greeting'? (TS2551)",
        "  at policies/greeting.ts:7:47",
        "    6 |   inbound(request, _ctx, options) {",
        '  > 7 |     request.headers.set("x-greeting", options.greting);',
        `      | ${" ".repeat(46)}^`,
        "    8 |     return request;",
        "  fix: ",
      ].join("\n"),
    );
    expect(portico(["check", "--no-typecheck"], root).code).toBe(0);
  });

  it("a syntax error in a policy is told once, at the policy, and --json carries its frame", () => {
    const root = tempProject({
      "openapi/openapi.yaml": spec(
        `  /a:\n    get:\n      x-portico: { handler: mock, inbound: [./policies/greeting.ts], outbound: [./policies/greeting.ts] }\n      responses: { "200": { description: ok } }`,
      ),
      "policies/greeting.ts": greetingPolicy("options.greeting;"),
    });
    const { code, stderr } = portico(["check"], root);
    expect(code).toBe(1);
    expect(stderr.match(/✘ ERROR/g)).toHaveLength(1);
    expect(stderr).toContain('✘ ERROR: Expected ")" but found ";"\n  at policies/greeting.ts:7:55\n');
    const json = JSON.parse(portico(["check", "--json"], root).stdout);
    expect(json.errors).toEqual([
      expect.objectContaining({
        file: "policies/greeting.ts",
        line: 7,
        column: 55,
        where: "policies/greeting.ts:7:55",
        frame: expect.stringContaining("> 7 |"),
      }),
    ]);
  });

  it("reference --help prints help, not the reference", () => {
    for (const args of [
      ["reference", "--help"],
      ["reference", "-h"],
      ["help", "reference"],
    ]) {
      const { code, stdout } = portico(args);
      expect(code, args.join(" ")).toBe(0);
      expect(stdout).toMatch(/^portico reference — print the x-portico reference\n/);
      expect(stdout).not.toContain("## ");
    }
  });

  it("build says where it wrote: .portico/, and dist/portal/ for a project with a portal", () => {
    const root = tempProject(good);
    expect(portico(["build"], root).stdout).toMatch(/1 operation\(s\) compiled in \d+ ms; wrote \.portico\/\.\n/);
    const withPortal = tempProject({ ...good, "portal/pages/index.md": "# Hi" });
    const built = portico(["build"], withPortal);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/; wrote \.portico\/ and dist\/portal\/\.\n/);
    // From another folder: where, in full.
    expect(portico(["build", "--root", root]).stdout).toContain(`; wrote ${join(root, ".portico")}/.`);
  });

  it("build puts /openapi.json among the Worker's assets, as the app serves it, for a project whose wrangler.toml has them", async () => {
    const root = tempProject({ ...good, "wrangler.toml": `name = "t"\nmain = "src/worker.ts"\n\n[assets]\ndirectory = "./dist/portal"\n` });
    const built = portico(["build"], root);
    expect(built.code, built.stderr).toBe(0);
    const served = (await import(join(root, ".portico", "openapi.ts"))) as { default: string | (() => string) };
    const text = typeof served.default === "function" ? served.default() : served.default;
    expect(readFileSync(join(root, "dist", "portal", "openapi.json"), "utf8")).toBe(text);
    expect(JSON.parse(text)).not.toHaveProperty("x-portico");
    // Without assets, the app alone serves it.
    const bare = tempProject(good);
    portico(["build"], bare);
    expect(existsSync(join(bare, "dist"))).toBe(false);
  });

  it.skipIf(!existsSync(oldNode))("on an older Node, says which Node it needs and how to run it, before loading any TypeScript", () => {
    const run = spawnSync(oldNode, [bin, "--help"], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^portico needs Node 24 or later, and this is Node 20\.[\d.]+: run it as `npx portico` or through the npm scripts/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses an unknown command", () => {
    const { code, stderr } = portico(["deploy-everything"]);
    expect(code).toBe(2);
    expect(stderr).toContain('✘ ERROR: Unknown command "deploy-everything".\n  at portico\n  fix: run `portico --help`');
  });
});

/** A policy that declares the option `greeting` and sets a header from `value` (line 7). */
const greetingPolicy = (value: string) => `import { definePolicy } from "portico";

export default definePolicy({
  options: { type: "object", properties: { greeting: { type: "string", default: "hello" } }, additionalProperties: false },
  outbound: (response) => response,
  inbound(request, _ctx, options) {
    request.headers.set("x-greeting", ${value});
    return request;
  },
});
`;

const slowPolicy = `import { definePolicy } from "portico";
// Its set-up takes a while, as a heavy module's would: the build outlasts the progress line's delay.
await new Promise((resolve) => setTimeout(resolve, 1500));
export default definePolicy({ inbound: (request) => request });
`;

describe("portico output", () => {
  it("has no colour codes when piped, as in CI logs", () => {
    const none = {};
    const failed = portico(["check"], tempProject(broken), none);
    expect(failed.stderr).toContain("✘ ERROR: Unknown policy");
    expect(failed.stderr).not.toMatch(ANSI);
    expect(portico(["check"], tempProject(good), none).stdout).not.toMatch(ANSI);
    expect(portico(["quota", "show", "acme"], undefined, none).stderr).toMatch(/^✘ ERROR: No admin token\.\n  at /);
  });

  it("colours the problem and the summary with FORCE_COLOR=1", () => {
    const failed = portico(["check"], tempProject(broken), { FORCE_COLOR: "1" });
    expect(failed.stderr).toContain('\x1b[31m✘ ERROR: Unknown policy or handler "mokc".\x1b[0m\n  \x1b[2mat\x1b[0m openapi/openapi.yaml:7:');
    expect(failed.stderr).toContain("\x1b[31mportico check: 1 error(s); nothing was changed.\x1b[0m");
    expect(portico(["check"], tempProject(good), { FORCE_COLOR: "1" }).stdout).toMatch(/^\x1b\[32mportico check: 1 operation\(s\) checked/);
  });

  it("NO_COLOR wins over FORCE_COLOR", () => {
    const failed = portico(["check"], tempProject(broken), { FORCE_COLOR: "1", NO_COLOR: "1" });
    expect(failed.stderr).toContain("✘ ERROR: Unknown policy");
    expect(failed.stderr).not.toMatch(ANSI);
  });

  it("--json prints every error as parseable JSON on stdout, with the exit codes of the text output", () => {
    const root = tempProject({ "wrangler.toml": 'name = "t"\n' });
    const cases: Array<[string[], number, object]> = [
      [["deploy-everything", "--json"], 2, { message: 'Unknown command "deploy-everything".', where: "portico" }],
      [["build", "--colour", "--json"], 2, { message: expect.stringContaining("Unknown option '--colour'"), where: "portico" }],
      [["keys", "revoke", "ptk_typo", "--json", "--root", root], 1, { message: "That is not a Portico API key.", where: "portico keys revoke" }],
      [["keys", "create", "--json", "--consumer", "a b", "--root", root], 1, { message: '--consumer "a b" is not a valid id.', where: "--consumer" }],
      [["quota", "show", "acme", "--json"], 1, { message: "No admin token.", where: "--token, $PORTICO_ADMIN_TOKEN" }],
    ];
    for (const [args, exit, error] of cases) {
      const { code, stdout, stderr } = portico(args);
      expect(code, args.join(" ")).toBe(exit);
      expect(stderr).toBe("");
      expect(JSON.parse(stdout)).toEqual({ ok: false, errors: [{ severity: "error", hint: expect.any(String), ...error }] });
    }
    const build = JSON.parse(portico(["check", "--json", "--root", tempProject(broken)]).stdout);
    expect(build.errors[0]).toMatchObject({
      severity: "error",
      where: expect.stringMatching(/^openapi\/openapi\.yaml:7:\d+ at \/paths/),
      hint: expect.any(String),
    });
  });

  it.skipIf(!existsSync("/usr/bin/script"))("shows one updating progress line on a terminal when the build is slow, and none in a pipe", () => {
    const root = tempProject({
      "openapi/openapi.yaml": spec(
        `  /a:\n    get:\n      x-portico: { handler: mock, inbound: [./policies/slow.ts] }\n      responses: { "200": { description: ok } }`,
      ),
      "policies/slow.ts": slowPolicy,
    });
    // script(1) runs the build on a pseudo-terminal, as a developer's shell would.
    const terminal = spawnSync("script", ["-qfec", `${process.execPath} ${bin} build --root ${root}`, "/dev/null"], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(terminal.status, terminal.stdout).toBe(0);
    expect(terminal.stdout).toMatch(/\rportico build: (reading the spec|compiling 1 operation)…[^\r]*\x1b\[K/);
    expect(terminal.stdout).toMatch(/\r\x1b\[K[^]*portico build: 1 operation\(s\) compiled/);
    const piped = portico(["build", "--root", root]);
    expect(piped.code).toBe(0);
    expect(piped.stderr + piped.stdout).not.toContain("\r");
  });
});
