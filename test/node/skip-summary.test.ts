/**
 * The closing line of `npm test` that counts the skipped tests by reason: its wording, and that
 * it follows the default reporter's output both as vitest.config.ts names the reporters and as
 * .ci/run does, with the reasons in the JSON report too.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { skipSummary } from "../support/skip-summary.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const temp = mkdtempSync(join(tmpdir(), "skip-summary-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const expected = "Skipped: 4 tests — 2: the tool is missing; 1: it does not apply; 1: no reason given, or left out by -t or .only";

function vitest(flags: string[]): string {
  const run = spawnSync(
    process.execPath,
    [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "test/fixtures/skip-summary/vitest.config.ts", ...flags],
    { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  return stripVTControlCharacters(run.stdout);
}

describe("the skip summary", () => {
  it("counts the skipped tests by reason, most first", () => {
    expect(skipSummary([])).toBeUndefined();
    expect(skipSummary(["a reason"])).toBe("Skipped: 1 test — 1: a reason");
    expect(skipSummary(["b", undefined, "a", "a"])).toBe("Skipped: 4 tests — 2: a; 1: b; 1: no reason given, or left out by -t or .only");
  });

  it("closes the default reporter's output, as vitest.config.ts names the reporters", () => {
    const output = vitest([]);
    expect(output).toMatch(/Tests\s+1 passed \| 4 skipped \(5\)/);
    expect(output.trimEnd().endsWith(expected)).toBe(true);
  });

  it("does so with the reporters .ci/run names, and the JSON report carries each reason", () => {
    const line = readFileSync(join(root, ".ci/run"), "utf8")
      .split("\n")
      .find((text) => text.startsWith("npm test -- "))!;
    const report = join(temp, "report.json");
    const flags = line.split(" ").filter((flag) => flag.startsWith("--reporter="));
    expect(flags).toContain("--reporter=default");
    const output = vitest([...flags, `--outputFile.json=${report}`]);
    expect(output).toMatch(/Tests\s+1 passed \| 4 skipped \(5\)/);
    expect(output).toContain(`${expected}\n`);
    const json = JSON.parse(readFileSync(report, "utf8")) as {
      testResults: Array<{ assertionResults: Array<{ title: string; meta: { skipReason?: string } }> }>;
    };
    const reasons = Object.fromEntries(json.testResults[0].assertionResults.map((test) => [test.title, test.meta.skipReason]));
    expect(reasons).toEqual({
      one: "the tool is missing",
      two: "the tool is missing",
      runs: undefined,
      "does not apply": "it does not apply",
      "says nothing": undefined,
    });
  });
});
