/**
 * `portico new policy` and `portico new handler` in a project of its own: the test
 * each writes beside the module passes inside workerd as written, and fails once the
 * module is broken.
 * The project is the smallest a user could have (a Worker, a wrangler.toml and a
 * vitest config with @cloudflare/vitest-plugin), using this repository's packages.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { tempProject } from "../support/temp-project.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url).href);
const run = promisify(execFile);

/** How a user project resolves `portico` and `portico/testing`: here, this repository's sources. */
const VITEST_CONFIG = `import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "portico/testing": ${JSON.stringify(join(repo, "src/testing/index.ts"))}, portico: ${JSON.stringify(join(repo, "src/index.ts"))} } },
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
  test: { include: ["policies/**/*.test.ts", "test/**/*.test.ts"] },
});
`;

function project(): string {
  const root = tempProject({
    "package.json": JSON.stringify({ name: "scaffold-check", private: true, type: "module" }),
    "wrangler.toml": 'name = "scaffold-check"\nmain = "worker.ts"\ncompatibility_date = "2026-11-01"\n',
    "worker.ts": 'export default { fetch: () => new Response("ok") };\n',
    "vitest.config.ts": VITEST_CONFIG,
    // Says where the scaffolded test ran: workerd's navigator, not Node's.
    "test/runtime.test.ts": `import { expect, it } from "vitest";\nit("runs in workerd", () => expect(navigator.userAgent).toBe("Cloudflare-Workers"));\n`,
  });
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"), "dir");
  return root;
}

/** Runs a command to its end: its exit code and everything it printed. */
async function exec(args: string[], cwd = repo): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd, timeout: 150_000, env: { ...process.env, CI: "1", NO_COLOR: "1" } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

const portico = (args: string[]) => exec([join(repo, "bin/portico.js"), ...args]);
const vitest = (root: string) => exec([join(repo, "node_modules/vitest/vitest.mjs"), "run", "--no-color"], root);

/** How a scaffold is broken on purpose, and what its own test then says. */
interface Breakage {
  kind: "policy" | "handler";
  name: string;
  replace: [string, string];
  failingTest: RegExp;
  failure: string;
}

/** Scaffolds the module into a fresh project: its test passes as written, then fails once `replace` breaks it. */
async function passesThenCatchesBreak({ kind, name, replace, failingTest, failure }: Breakage): Promise<string> {
  const root = project();
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const written = await portico(["new", kind, name, "--root", root]);
  expect(written.code).toBe(0);

  const passing = await vitest(root);
  expect(passing.output).toMatch(/Tests\s+3 passed/);
  expect(passing.code).toBe(0);

  const module = join(root, `policies/${name}.ts`);
  const source = readFileSync(module, "utf8");
  expect(source).toContain(replace[0]);
  writeFileSync(module, source.replace(...replace));

  const broken = await vitest(root);
  expect(broken.code).not.toBe(0);
  expect(broken.output).toMatch(failingTest);
  expect(broken.output).toContain(failure);
  expect(broken.output).toMatch(/Tests\s+1 failed \| 2 passed/);
  return written.output;
}

describe("portico new policy", () => {
  it("writes a policy whose test passes in workerd, and fails when the policy breaks", { timeout: 360_000 }, async () => {
    await passesThenCatchesBreak({
      kind: "policy",
      name: "tier-mark",
      replace: ['ctx.consumer?.tier ?? "anonymous"', '"anonymous"'],
      failingTest: /sends the consumer's tier upstream/,
      failure: "expected 'anonymous' to be 'gold'",
    });
  });

  it("writes a handler whose test passes in workerd, and fails when the handler breaks", { timeout: 360_000 }, async () => {
    const output = await passesThenCatchesBreak({
      kind: "handler",
      name: "say-hello",
      replace: ["who.length > 40", "who.length > 400"],
      failingTest: /answers a name that is too long with a problem/,
      failure: "expected 200 to be 400",
    });
    expect(output).toContain("handler: { use: ./policies/say-hello.ts");
  });

  it("refuses a name that is not one, a kind it does not make, and a policy that exists, writing nothing", async () => {
    const root = tempProject({ "policies/taken.ts": "// mine\n" });
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const bad = await portico(["new", "policy", "Tier Mark", "--root", root]);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("is not a policy name");
    const kind = await portico(["new", "plugin", "x", "--root", root]);
    expect(kind.code).toBe(2);
    expect(kind.output).toContain('"plugin" is neither');
    const taken = await portico(["new", "policy", "taken", "--root", root]);
    expect(taken.code).toBe(2);
    expect(taken.output).toContain("policies/taken.ts already exists");
    expect(readFileSync(join(root, "policies/taken.ts"), "utf8")).toBe("// mine\n");
    expect(existsSync(join(root, "policies/taken.test.ts"))).toBe(false);
  });
});
