/**
 * README.md's "Five minutes with Portico" against a fresh `npm run dev` of the
 * example: the commands of the section's first shell block, read out of the
 * README and run in order with bash and curl (the address, `npx portico` and
 * the `ptk_…` placeholder swapped for this server's), each answer checked
 * against what the README says of it.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../support/dev-server.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url).href);

interface Step {
  /** The command, its continuation lines joined. */
  command: string;
  /** Its comment, the lines of comment after it included. */
  comment: string;
}

/** The commands of the first ```sh block under "## Five minutes with Portico", with their comments. */
function tourSteps(readme: string): Step[] {
  const section = readme.split(/^## Five minutes with Portico$/m)[1]?.split(/^## /m)[0];
  const block = section && /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```sh block under "## Five minutes with Portico".');
  const steps: Step[] = [];
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

let dev: DevServer;
let key = "";

/** Runs one README command as written, with this server's address, CLI and last key in place of the README's. */
async function perform(command: string): Promise<{ stdout: string; ms: number }> {
  const cli = `"${process.execPath}" "${join(root, "bin/portico.js")}"`;
  let line = command.replaceAll("http://localhost:8787", dev.base).replaceAll("ptk_…", key);
  if (line.startsWith("npx portico ")) line = `${line.replace("npx portico", cli)} --root "${dev.project}"`;
  const started = performance.now();
  const { stdout } = await run("bash", ["-c", line], { cwd: dev.project, env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
  return { stdout, ms: performance.now() - started };
}

const readmeSteps = tourSteps(readFileSync(join(root, "README.md"), "utf8"));

beforeAll(async () => {
  dev = await startDevServer();
}, 120_000);

afterAll(() => dev?.stop());

describe("README.md's five-minute tour on a fresh npm run dev", () => {
  it("reads the tour's commands out of the README", () => {
    // What each step shows; the checks below follow this order.
    expect(readmeSteps.map((step) => step.command.split(" http")[0].replace(/--consumer \S+.*/, "--consumer"))).toEqual([
      "curl -i",
      "curl -i",
      "curl -i -X POST",
      "npx portico keys create --consumer",
      "curl -i -X POST",
      "for i in $(seq 11); do curl -s -o /dev/null -w '%{http_code} '",
      "npx portico keys create --consumer",
      "curl -i",
    ]);
  });

  it("answers every step as the README says, in the README's order", { timeout: 300_000 }, async () => {
    const [sculpture, document, anonymousBuy, createVisitor, invalidBuy, loop, createPatron, paidRead] = readmeSteps;

    // An exhibit, the example chosen by Prefer.
    let answer = parseCurl((await perform(sculpture.command)).stdout);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ id: "ex-1002", title: "Bronze Horse" });

    // The document, without x-portico.
    expect(document.comment).toMatch(/without x-portico/);
    answer = parseCurl((await perform(document.command)).stdout);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ openapi: "3.1.0" });
    expect(answer.body).not.toContain("x-portico");

    // 401 without a key.
    expect(statusOf(anonymousBuy.comment)).toBe(401);
    answer = parseCurl((await perform(anonymousBuy.command)).stdout);
    expect(answer.status).toBe(401);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");

    // A consumer's key, printed once; with it, the invalid ticket is a 400 listing the errors.
    expect(createVisitor.comment).toMatch(/prints ptk_… once/);
    key = /ptk_[A-Za-z0-9_-]+/.exec((await perform(createVisitor.command)).stdout)?.[0] ?? "";
    expect(key).not.toBe("");
    expect(statusOf(invalidBuy.comment)).toBe(400);
    answer = parseCurl((await perform(invalidBuy.command)).stdout);
    expect(answer.status).toBe(400);
    expect((JSON.parse(answer.body) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);

    // "200 ×10, then 429". The limit refills one request every window / limit (6 s at 10 a
    // minute): a loop that took that long may have been given one back. Only then is it run
    // again, once the counter is full again; the outcome must still be exactly the documented one.
    const documented = /(\d{3}) ×(\d+), then (\d{3})/.exec(loop.comment);
    expect(documented, loop.comment).not.toBeNull();
    const expected = [...Array(Number(documented![2])).fill(Number(documented![1])), Number(documented![3])];
    expect(loop.comment).toMatch(/10 a minute/);
    const refill = 60_000 / 10;
    for (let attempt = 1; ; attempt++) {
      const { stdout, ms } = await perform(loop.command);
      const statuses = stdout.trim().split(/\s+/).map(Number);
      if (ms < refill || attempt === 3) {
        expect(statuses, `the loop took ${Math.round(ms)} ms`).toEqual(expected);
        break;
      }
      if (statuses.join() === expected.join()) break;
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }

    // A paid consumer's key on the same route: counted by its tier.
    expect(createPatron.command).toContain("--tier paid");
    key = /ptk_[A-Za-z0-9_-]+/.exec((await perform(createPatron.command)).stdout)?.[0] ?? "";
    expect(key).not.toBe("");
    const policy = /RateLimit-Policy: (\S+)/.exec(paidRead.comment)?.[1];
    expect(policy).toMatch(/;q=10000;w=60$/);
    expect(statusOf(paidRead.comment)).toBe(200);
    for (let call = 0; call < 3; call++) {
      answer = parseCurl((await perform(paidRead.command)).stdout);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("ratelimit-policy")).toBe(policy);
    }
  });
});
