/**
 * The newcomer's path, walked on a fresh clone in a temporary folder: install,
 * test, `npm run dev` and the README's tour, `npx portico init` with a
 * one-operation document of the newcomer's own, test again, and `npm run dev`
 * serving that API and its portal. Every step's outcome is checked; the
 * timings are printed at the end.
 *
 *   node test/newcomer.ts [--skip-first-test]
 *
 * It clones what is committed (HEAD), not the working tree. `.ci/run` runs it
 * as a step of its own after the suite, with --skip-first-test: the suite has
 * just run on a clean clone of the same commit, which is that first test.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startDevServer } from "./support/dev-server.ts";
import { readReadme, walkTour } from "./support/readme-tour.ts";

const source = fileURLToPath(new URL("..", import.meta.url).href);
const { values: flags } = parseArgs({ options: { "skip-first-test": { type: "boolean" }, keep: { type: "boolean" } } });

/** The newcomer's own API: one operation, no x-portico. */
const PETS = `openapi: 3.1.0
info:
  title: Pet Shelter API
  version: 1.0.0
paths:
  /pets:
    get:
      operationId: listPets
      summary: List the pets waiting for a home
      responses:
        "200":
          description: The pets
          content:
            application/json:
              schema:
                type: array
                items: { type: object, properties: { name: { type: string } }, required: [name] }
              example: [{ name: Rex }, { name: Tom }]
`;

const timings: Array<[string, number]> = [];

async function step<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  process.stdout.write(`• ${name} … `);
  const started = performance.now();
  try {
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    timings.push([name, seconds]);
    console.log(`${seconds.toFixed(1)} s`);
    return result;
  } catch (error) {
    console.log("FAILED");
    throw error;
  }
}

/** Runs a command in the clone as a newcomer types it, failing with its output's end when it fails. */
function sh(project: string, command: string, args: string[], timeoutMinutes: number): string {
  const { NODE_ENV: _, ...env } = process.env;
  const run = spawnSync(command, args, {
    cwd: project,
    encoding: "utf8",
    env: { ...env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
    timeout: timeoutMinutes * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
  assert.equal(run.status, 0, `${command} ${args.join(" ")} exited ${run.status ?? run.signal}:\n${output.slice(-4000)}`);
  return output;
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

const work = mkdtempSync(join(tmpdir(), "portico-newcomer-"));
const project = join(work, "my-gateway");
const node = (...args: string[]) => [join(project, "node_modules/.bin/node"), ...args];

try {
  await step("git clone", () => sh(work, "git", ["clone", "--quiet", source, project], 2));

  await step("npm install", () => {
    const output = sh(project, "npm", ["install", "--no-audit", "--no-fund"], 10);
    assert.doesNotMatch(output, /npm warn/i, `npm install warned:\n${output}`);
  });

  if (!flags["skip-first-test"]) await step("npm test (the example)", () => sh(project, "npm", ["test"], 15));

  await step("npm run dev and the README's tour", async () => {
    const dev = await startDevServer({ in: project, timeoutMs: 180_000 });
    try {
      const portico = node(join(project, "bin/portico.js"))
        .map((part) => `"${part}"`)
        .join(" ");
      await walkTour(readReadme(project), { base: dev.base, project, portico });
    } finally {
      dev.stop();
    }
  });

  await step("npx portico init --from pets.yaml --yes", () => {
    writeFileSync(join(work, "pets.yaml"), PETS);
    const [command, ...args] = node(join(project, "bin/portico.js"), "init", "--from", join(work, "pets.yaml"), "--yes");
    sh(project, command, args, 2);
    assert.match(readFileSync(join(project, "openapi/openapi.yaml"), "utf8"), /Pet Shelter API/);
    assert.match(readFileSync(join(project, "test/api/api.test.ts"), "utf8"), /listPets/);
  });

  await step("npm test (the newcomer's API)", () => {
    const output = sh(project, "npm", ["test"], 15);
    assert.match(output, /test\/api\/api\.test\.ts/, "the test of the newcomer's API did not run");
  });

  await step("npm run dev with the newcomer's API and portal", async () => {
    const dev = await startDevServer({ in: project, timeoutMs: 180_000 });
    try {
      const pets = await get(`${dev.base}/pets`);
      assert.equal(pets.status, 200, pets.body);
      assert.deepEqual(JSON.parse(pets.body), [{ name: "Rex" }, { name: "Tom" }]);
      const portal = await get(`${dev.base}/docs/`);
      assert.equal(portal.status, 200);
      assert.match(portal.body, /Pet Shelter API/);
      assert.doesNotMatch(portal.body, /Museum/);
    } finally {
      dev.stop();
    }
  });
} finally {
  if (flags.keep) console.log(`The clone stays in ${project}.`);
  else rmSync(work, { recursive: true, force: true });
}

const width = Math.max(...timings.map(([name]) => name.length));
console.log(`\nThe newcomer's path, on this machine:`);
for (const [name, seconds] of timings) console.log(`  ${name.padEnd(width)}  ${seconds.toFixed(1).padStart(6)} s`);
console.log(
  `  ${"total".padEnd(width)}  ${timings
    .reduce((sum, [, s]) => sum + s, 0)
    .toFixed(1)
    .padStart(6)} s`,
);
