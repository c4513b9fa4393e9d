/**
 * README.md's "Five minutes with Portico", walked against a running
 * `npm run dev` of the example: the commands of the section's first shell
 * block, read out of the README and run in order with bash and curl (the
 * address, `npx portico` and the `ptk_…` placeholder swapped for the server's),
 * each answer checked against what the README says of it. Shared by the test
 * suite and the newcomer's walk (test/newcomer.ts); node:assert, so it runs in both.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TourStep {
  /** The command, its continuation lines joined. */
  command: string;
  /** Its comment, the lines of comment after it included. */
  comment: string;
}

/** The commands of the first ```sh block under "## Five minutes with Portico", with their comments. */
export function tourSteps(readme: string): TourStep[] {
  const section = readme.split(/^## Five minutes with Portico$/m)[1]?.split(/^## /m)[0];
  const block = section && /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```sh block under "## Five minutes with Portico".');
  const steps: TourStep[] = [];
  let pending = "";
  for (const line of block.split("\n")) {
    if (/^\s+#/.test(line) && !pending && steps.length > 0) {
      steps[steps.length - 1].comment += ` ${line.trim().slice(1).trim()}`;
      continue;
    }
    const text = pending + line;
    if (text.trimEnd().endsWith("\\")) {
      pending = `${text.trimEnd().slice(0, -1)} `;
      continue;
    }
    pending = "";
    if (!text.trim()) continue;
    // A comment starts at " #" outside quotes (the commands quote no "#").
    const at = text.search(/\s#\s/);
    steps.push({ command: (at < 0 ? text : text.slice(0, at)).trim().replace(/\s+/g, " "), comment: at < 0 ? "" : text.slice(at).trim().slice(1).trim() });
  }
  return steps;
}

/** What each step of the tour is, in order: the walk below checks them in this order. */
export const TOUR_SHAPE = [
  "curl -i",
  "curl -i",
  "curl -i -X POST",
  "npx portico keys create --consumer",
  "curl -i -X POST",
  "for i in $(seq 11); do curl -s -o /dev/null -w '%{http_code} '",
  "npx portico keys create --consumer",
  "curl -i",
];

export const shapeOf = (step: TourStep) => step.command.split(" http")[0].replace(/--consumer \S+.*/, "--consumer");

interface Curl {
  status: number;
  headers: Headers;
  body: string;
}

/** The output of `curl -i`: the last status line's answer (curl prints none for interim ones here). */
function parseCurl(output: string): Curl {
  const [head, ...rest] = output.split(/\r?\n\r?\n/);
  const [statusLine, ...lines] = head.split(/\r?\n/);
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1]);
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status, headers, body: rest.join("\n\n") };
}

/** The status a comment starts with ("401: buying takes…", "400, the errors listed"). */
const statusOf = (comment: string) => Number(/^(\d{3})\b/.exec(comment)?.[1]) || undefined;

/** Where the tour runs: the server's address, the project it serves, and the `portico` command to run there. */
export interface TourServer {
  base: string;
  project: string;
  /** The command line that stands for `npx portico` (the project's own bin/portico.js on the Node that runs this). */
  portico: string;
}

/** Walks the README's tour on a running server, failing at the first step that answers otherwise than the README says. */
export async function walkTour(readme: string, server: TourServer): Promise<void> {
  const steps = tourSteps(readme);
  assert.deepEqual(steps.map(shapeOf), TOUR_SHAPE, "the README's tour is not the one this walk checks");
  const [sculpture, document, anonymousBuy, createVisitor, invalidBuy, loop, createPatron, paidRead] = steps;
  let key = "";
  const perform = async (command: string): Promise<{ stdout: string; ms: number }> => {
    let line = command.replaceAll("http://localhost:8787", server.base).replaceAll("ptk_…", key);
    if (line.startsWith("npx portico ")) line = `${line.replace("npx portico", server.portico)} --root "${server.project}"`;
    const started = performance.now();
    const { stdout } = await run("bash", ["-c", line], { cwd: server.project, env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
    return { stdout, ms: performance.now() - started };
  };
  const curl = async (step: TourStep) => parseCurl((await perform(step.command)).stdout);

  // An exhibit, the example chosen by Prefer.
  let answer = await curl(sculpture);
  assert.equal(answer.status, 200, sculpture.command);
  assert.partialDeepStrictEqual(JSON.parse(answer.body), { id: "ex-1002", title: "Bronze Horse" });

  // The document, without x-portico.
  assert.match(document.comment, /without x-portico/);
  answer = await curl(document);
  assert.equal(answer.status, 200, document.command);
  assert.equal(JSON.parse(answer.body).openapi, "3.1.0");
  assert.ok(!answer.body.includes("x-portico"), "the served document shows x-portico");

  // 401 without a key.
  assert.equal(statusOf(anonymousBuy.comment), 401);
  answer = await curl(anonymousBuy);
  assert.equal(answer.status, 401, anonymousBuy.command);
  assert.equal(answer.headers.get("content-type"), "application/problem+json");

  // A consumer's key, printed once; with it, the invalid ticket is a 400 listing the errors.
  assert.match(createVisitor.comment, /prints ptk_… once/);
  key = /ptk_[A-Za-z0-9_-]+/.exec((await perform(createVisitor.command)).stdout)?.[0] ?? "";
  assert.notEqual(key, "", `${createVisitor.command} printed no key`);
  assert.equal(statusOf(invalidBuy.comment), 400);
  answer = await curl(invalidBuy);
  assert.equal(answer.status, 400, invalidBuy.command);
  assert.ok((JSON.parse(answer.body) as { errors: unknown[] }).errors.length > 0, "the 400 lists no errors");

  // "200 ×10, then 429". The limit refills one request every window / limit (6 s at 10 a
  // minute): a loop that took that long may have been given one back. Only then is it run
  // again, once the counter is full again; the outcome must still be exactly the documented one.
  const documented = /(\d{3}) ×(\d+), then (\d{3})/.exec(loop.comment);
  assert.ok(documented, loop.comment);
  const expected = [...Array(Number(documented[2])).fill(Number(documented[1])), Number(documented[3])];
  assert.match(loop.comment, /10 a minute/);
  const refill = 60_000 / 10;
  for (let attempt = 1; ; attempt++) {
    const { stdout, ms } = await perform(loop.command);
    const statuses = stdout.trim().split(/\s+/).map(Number);
    if (ms < refill || attempt === 3) {
      assert.deepEqual(statuses, expected, `the loop took ${Math.round(ms)} ms`);
      break;
    }
    if (statuses.join() === expected.join()) break;
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }

  // A paid consumer's key on the same route: counted by its tier.
  assert.ok(createPatron.command.includes("--tier paid"), createPatron.command);
  key = /ptk_[A-Za-z0-9_-]+/.exec((await perform(createPatron.command)).stdout)?.[0] ?? "";
  assert.notEqual(key, "", `${createPatron.command} printed no key`);
  const policy = /RateLimit-Policy: (\S+)/.exec(paidRead.comment)?.[1];
  assert.match(policy ?? "", /;q=10000;w=60$/);
  assert.equal(statusOf(paidRead.comment), 200);
  for (let call = 0; call < 3; call++) {
    answer = await curl(paidRead);
    assert.equal(answer.status, 200, paidRead.command);
    assert.equal(answer.headers.get("ratelimit-policy"), policy);
  }
}

/** The project's README. */
export const readReadme = (root: string) => readFileSync(join(root, "README.md"), "utf8");
