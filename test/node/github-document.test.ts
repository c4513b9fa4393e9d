/**
 * GitHub's REST API description (test/fixtures/github: `@octokit/openapi`
 * 23.0.2, 13 MB, 1,223 operations), built as a new user would build it: the
 * document unchanged but for a root `x-portico: { handler: mock }`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, type CompileResult } from "../../src/compiler/compile.ts";
import { GITHUB_DOCUMENT, githubDocumentText } from "../support/github-document.ts";

const root = mkdtempSync(join(tmpdir(), "portico-github-"));
let result: CompileResult;

beforeAll(async () => {
  // The root x-portico goes first, as a user would type it at the top; the rest is the document's own text.
  const text = githubDocumentText().toString("utf8");
  mkdirSync(join(root, "openapi"));
  writeFileSync(join(root, "openapi/openapi.json"), text.replace(/^\{\n/, '{\n  "x-portico": { "handler": "mock" },\n'));
  result = await compile({ root, check: true });
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("GitHub's REST API description", () => {
  it("builds with no errors, every operation routed", () => {
    expect(result.errors.map((error) => error.format())).toEqual([]);
    expect(result.operations).toBe(GITHUB_DOCUMENT.operations);
  });

  it("warns of each pair of templates that differ only in parameter names, at the path's own line", () => {
    const collisions = result.warnings.filter((warning) => warning.message.includes("only in its parameters' names"));
    expect(collisions.map((warning) => warning.location.pointer).sort()).toEqual([
      "/paths/~1orgs~1{org}~1attestations~1{subject_digest}",
      "/paths/~1users~1{username}~1attestations~1{subject_digest}",
    ]);
    for (const warning of collisions) {
      expect(warning.location.file).toBe("openapi/openapi.json");
      expect(warning.location.line).toBeGreaterThan(1);
    }
  });

  it("locates every warning in the document, past its first line", () => {
    for (const warning of result.warnings) {
      expect(warning.location.file, warning.message).toBe("openapi/openapi.json");
      expect(warning.location.pointer, warning.message).not.toBe("");
      expect(warning.location.line, warning.message).toBeGreaterThan(1);
    }
  });
});
