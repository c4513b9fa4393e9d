/**
 * The way a team starts with Portico: both packages packed as `npm publish` would send
 * them, `create-portico` run from its tarball to scaffold the museum project against the
 * portico tarball, and the project built and served by its own `npm run dev` (wrangler dev
 * on workerd), the gateway's route and the portal at /docs answering.
 *
 * The install prefers the npm cache (`--prefer-offline`): npm 11 asks for full package
 * documents, which an `npm ci` leaves out of the cache, so a cache filled by `npm ci`
 * alone would fail `--offline`. Without registry or cache, the test is skipped and says so.
 *
 * `--from` a URL and `--template empty` forwarding to `--upstream` are scaffolded at the
 * same time as the museum, from the same tarballs. Once those installs have filled the
 * cache, the project from a real document on disk (OpenAI's) is scaffolded with
 * `npm_config_offline=true`, and runs its own npm test and npm run dev: a team's next
 * project needs no network.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../support/dev-server.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const work = mkdtempSync(join(tmpdir(), "portico-create-"));
// Vitest's NODE_ENV=test would reach the project's own tools.
const { NODE_ENV: _, ...baseEnv } = process.env;
const env = { ...baseEnv, npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false", WRANGLER_SEND_METRICS: "false" };

function npm(args: string[], cwd: string, timeout: number) {
  const result = spawnSync("npm", args, { cwd, env, encoding: "utf8", timeout, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** npm without blocking, so that several projects install at once. */
function npmAsync(args: string[], cwd: string, timeout: number, extraEnv: Record<string, string> = {}): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", args, { cwd, env: { ...env, ...extraEnv }, timeout });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** The tarball `npm pack` wrote, by the line it printed last. */
function pack(args: string[]): string {
  const packed = npm(["pack", ...args, "--pack-destination", work], root, 60_000);
  expect(packed.status, packed.output).toBe(0);
  return join(work, packed.output.trim().split("\n").at(-1)!);
}

const project = join(work, "my-api");
// A real API's document from the repository: OpenAI's, trimmed (test/fixtures/openai/PROVENANCE.md).
const openaiDocument = gunzipSync(readFileSync(join(root, "test", "fixtures", "openai", "openapi.trimmed.json.gz"))).toString("utf8");
const documentFile = join(work, "openai.json");
const others = { fromPath: join(work, "from-path"), fromUrl: join(work, "from-url"), empty: join(work, "empty-api") };
/** Each of the others' create-portico exit status, then the end of its output. */
const scaffolded: Record<string, string> = {};
let unavailable: string | undefined;
let dev: DevServer | undefined;
let emptyDev: DevServer | undefined;
let documentDev: DevServer | undefined;
let documentServer: Server | undefined;

/** The museum template is the example at the repository's root, which `npx portico init` replaces in a team's own copy. */
const exampleReplaced = !readFileSync(join(root, "openapi", "openapi.yaml"), "utf8").includes("title: Museum API");

beforeAll(async () => {
  if (exampleReplaced) {
    unavailable = "the root's example was replaced (npx portico init): create-portico's museum template is copied from it";
    return;
  }
  writeFileSync(documentFile, openaiDocument);
  // Serves the document for --from <url>, and stands for the real service of the empty API's --upstream.
  documentServer = createServer((request, response) => {
    if (request.url === "/service/hello") return void response.writeHead(200, { "content-type": "application/json" }).end('{"message":"from the service"}');
    if (request.url !== "/openapi.json") return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "application/json" }).end(openaiDocument);
  });
  await new Promise<void>((resolve) => documentServer!.listen(0, "127.0.0.1", resolve));
  const serverBase = `http://127.0.0.1:${(documentServer.address() as AddressInfo).port}`;
  const documentUrl = `${serverBase}/openapi.json`;

  const portico = pack([]);
  const create = pack(["--workspace", "create-portico"]);
  const scaffold = (dir: string, ...options: string[]) =>
    npmAsync(["exec", "--yes", "--package", create, "--", "create-portico", dir, "--package", `file:${portico}`, "--yes", ...options], work, 240_000);
  const [created, fromUrl, empty] = await Promise.all([
    scaffold(project),
    scaffold(others.fromUrl, "--from", documentUrl),
    scaffold(others.empty, "--template", "empty", "--upstream", `${serverBase}/service`),
  ]);
  // Once the cache holds what a project needs (the installs above put it there), the next needs no network.
  const fromPath = await npmAsync(
    ["exec", "--yes", "--package", create, "--", "create-portico", others.fromPath, "--package", `file:${portico}`, "--yes", "--from", documentFile],
    work,
    240_000,
    { npm_config_offline: "true" },
  );
  for (const [dir, result] of [
    [others.fromUrl, fromUrl],
    [others.empty, empty],
    [others.fromPath, fromPath],
  ] as const)
    scaffolded[dir] = `${result.status}\n${result.output.slice(-3000)}`;
  if (created.status !== 0 && /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|only-if-cached/.test(created.output))
    unavailable = `the npm cache lacks a package the project needs and the registry is out of reach:\n${created.output.slice(-1500)}`;
  else expect(created.status, created.output).toBe(0);
}, 300_000);

afterAll(() => {
  dev?.stop();
  emptyDev?.stop();
  documentDev?.stop();
  documentServer?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Builds a scaffolded project with `npx portico build`; how many operations it compiled. */
function expectBuilds(dir: string): number {
  expect(scaffolded[dir], "create-portico's exit status and output").toMatch(/^0\n/);
  const built = npm(["exec", "--", "portico", "build"], dir, 90_000);
  expect(built.status, built.output).toBe(0);
  return Number(/portico build: (\d+) operation\(s\) compiled/.exec(built.output)?.[1]);
}

const METHODS = /^(get|put|post|delete|patch|head|options|trace)$/;

describe("npm create portico", () => {
  it("writes only the user's files, depending on portico for the gateway", ({ skip }) => {
    if (unavailable) skip(unavailable);
    const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    expect(manifest.dependencies.portico).toMatch(/^file:.*portico-0\.1\.0\.tgz$/);
    expect(Object.keys(manifest.scripts)).toEqual(["dev", "build", "check", "deploy", "test", "typecheck"]);
    // The tools the project runs are those portico is tested with.
    const { peerDependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    for (const [name, range] of Object.entries(peerDependencies)) expect(manifest.devDependencies[name], name).toBe(range);
    expect(readFileSync(join(project, "openapi", "openapi.yaml"), "utf8")).toBe(readFileSync(join(root, "openapi", "openapi.yaml"), "utf8"));
  });

  it("builds with the package's own compiler, the generated app importing the package's runtime", ({ skip }) => {
    if (unavailable) skip(unavailable);
    const built = npm(["exec", "--", "portico", "build"], project, 60_000);
    expect(built.status, built.output).toBe(0);
    expect(built.output).toMatch(/portico build: \d+ operation\(s\) compiled/);
    expect(readFileSync(join(project, ".portico", "app.ts"), "utf8")).toContain('from "../node_modules/portico/src/runtime/gateway.ts"');
  });

  it("serves a route and the portal through npm run dev", { timeout: 120_000 }, async ({ skip }) => {
    if (unavailable) skip(unavailable);
    dev = await startDevServer({ in: project, ready: (base) => fetch(`${base}/v1/exhibits`).then((response) => response.ok) });
    const exhibits = await fetch(`${dev.base}/v1/exhibits`);
    expect(exhibits.status).toBe(200);
    expect(exhibits.headers.get("content-type")).toMatch(/application\/json/);
    expect(exhibits.headers.get("cache-control")).toBe("public, max-age=60");
    const docs = await fetch(`${dev.base}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("Museum API");
  });

  it("runs the museum project's own npm test: its policy's test and its API test, in workerd", { timeout: 150_000 }, ({ skip }) => {
    if (unavailable) skip(unavailable);
    const tested = npm(["test"], project, 140_000);
    expect(tested.status, tested.output.slice(-4000)).toBe(0);
    expect(stripVTControlCharacters(tested.output)).toMatch(/Test Files\s+\d+ passed/);
  });

  it("type-checks the museum project's policies and tests with its own tsconfig.json (npm run typecheck)", { timeout: 120_000 }, ({ skip }) => {
    if (unavailable) skip(unavailable);
    const checked = npm(["run", "typecheck"], project, 110_000);
    expect(checked.status, checked.output.slice(-4000)).toBe(0);
    // A type error in a test (which the build does not check, as it does the policies) fails it too.
    const test = join(project, "policies", "cache-control.test.ts");
    const original = readFileSync(test, "utf8");
    writeFileSync(test, `${original}\nexport const broken: number = "not a number";\n`);
    const failed = npm(["run", "typecheck"], project, 110_000);
    writeFileSync(test, original);
    expect(failed.status).not.toBe(0);
    expect(failed.output).toMatch(/policies\/cache-control\.test\.ts\(\d+,\d+\): error TS2322/);
  });

  it("starts from a document on disk (--from <path>), installed with the network refused: every operation of it built", { timeout: 100_000 }, ({ skip }) => {
    if (unavailable) skip(unavailable);
    const operations = expectBuilds(others.fromPath);
    const original = JSON.parse(openaiDocument) as { paths: Record<string, object> };
    const written = JSON.parse(readFileSync(join(others.fromPath, "openapi", "openapi.json"), "utf8"));
    expect(Object.keys(written.paths)).toEqual(Object.keys(original.paths));
    expect(operations).toBe(Object.values(original.paths).flatMap((item) => Object.keys(item).filter((key) => METHODS.test(key))).length);
  });

  it("the project from OpenAI's document, installed offline, passes its own npm test and serves a route and /docs", { timeout: 200_000 }, async ({ skip }) => {
    if (unavailable) skip(unavailable);
    const tested = npm(["test"], others.fromPath, 140_000);
    expect(tested.status, tested.output.slice(-4000)).toBe(0);
    expect(stripVTControlCharacters(tested.output)).toMatch(/Tests\s+\d+ passed/);
    // A key in the local state npm run dev reads, as a team makes one for its first call.
    const created = npm(["exec", "--", "portico", "keys", "create", "--consumer", "first-caller", "--json"], others.fromPath, 60_000);
    expect(created.status, created.output).toBe(0);
    const { key } = JSON.parse(created.output.slice(created.output.indexOf("{"))) as { key: string };
    documentDev = await startDevServer({ in: others.fromPath, ready: (base) => fetch(`${base}/v1/models`).then((response) => response.status === 401) });
    const models = await fetch(`${documentDev.base}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    expect(await models.json()).toMatchObject({ object: "list" });
    const refused = await fetch(`${documentDev.base}/v1/models`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    const docs = await fetch(`${documentDev.base}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("OpenAI API");
  });

  it("starts from a document at a URL (--from <url>): fetched into openapi/ and built", { timeout: 100_000 }, ({ skip }) => {
    if (unavailable) skip(unavailable);
    expectBuilds(others.fromUrl);
    const written = JSON.parse(readFileSync(join(others.fromUrl, "openapi", "openapi.json"), "utf8"));
    expect(written.paths).toEqual(JSON.parse(readFileSync(join(others.fromPath, "openapi", "openapi.json"), "utf8")).paths);
  });

  it("starts from an empty API forwarding to --upstream: its one operation reaches the service through npm run dev", { timeout: 150_000 }, async ({ skip }) => {
    if (unavailable) skip(unavailable);
    expect(expectBuilds(others.empty)).toBe(1);
    expect(readFileSync(join(others.empty, "openapi", "openapi.yaml"), "utf8")).toMatch(
      /x-portico:\n {2}handler: forward\n {2}upstream: "http:\/\/127\.0\.0\.1:\d+\/service"\n/,
    );
    emptyDev = await startDevServer({ in: others.empty, ready: (base) => fetch(`${base}/hello`).then((response) => response.status < 500) });
    const hello = await fetch(`${emptyDev.base}/hello`);
    expect(hello.status).toBe(200);
    expect(await hello.json()).toEqual({ message: "from the service" });
  });

  it("refuses a folder that is not empty", () => {
    const taken = join(work, "taken");
    mkdirSync(taken);
    writeFileSync(join(taken, "notes.txt"), "mine");
    const refused = spawnSync(process.execPath, [join(root, "packages", "create-portico", "index.js"), taken, "--yes", "--no-install"], { encoding: "utf8" });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("is not empty");
    expect(readFileSync(join(taken, "notes.txt"), "utf8")).toBe("mine");
  });
});
