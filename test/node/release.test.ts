/**
 * A release as docs/releasing.md cuts it: `npm run release:version` in a copy of the
 * repository's release files (package.json and lock, both packages' manifests, the
 * changesets) bumps each package a changeset names, the root `portico` included, and
 * writes the changesets' paragraphs into that package's CHANGELOG.md.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const work = mkdtempSync(join(tmpdir(), "portico-release-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: work, encoding: "utf8", timeout: 120_000 });
  expect(result.status, `${command} ${args.join(" ")}\n${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

const version = (file: string) => JSON.parse(readFileSync(join(work, file), "utf8")).version as string;

it("bumps the root portico package and create-portico from their changesets", () => {
  for (const file of ["package.json", "package-lock.json", "CHANGELOG.md", ".changeset", "packages/create-portico/package.json"])
    cpSync(join(root, file), join(work, file), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(work, "node_modules"));
  writeFileSync(join(work, ".changeset/portico-fix.md"), '---\n"portico": patch\n---\n\nA fix users of the gateway notice.\n');
  writeFileSync(join(work, ".changeset/create-fix.md"), '---\n"create-portico": patch\n---\n\nA fix to the scaffolder.\n');
  run("git", ["init", "-q", "-b", "main"]);
  run("git", ["add", "-A"]);
  run("git", ["-c", "user.name=release", "-c", "user.email=release@example.com", "commit", "-qm", "release files"]);
  const before = { portico: version("package.json"), create: version("packages/create-portico/package.json") };

  const status = run("npx", ["changeset", "status"]);
  expect(status).toMatch(/\bportico\b/);
  expect(status).toMatch(/\bcreate-portico\b/);

  run("npm", ["run", "release:version"]);
  expect(version("package.json")).not.toBe(before.portico);
  expect(version("package-lock.json"), "the lockfile follows").toBe(version("package.json"));
  expect(version("packages/create-portico/package.json")).not.toBe(before.create);
  expect(readFileSync(join(work, "CHANGELOG.md"), "utf8")).toContain(`## ${version("package.json")}`);
  expect(readFileSync(join(work, "CHANGELOG.md"), "utf8")).toContain("A fix users of the gateway notice.");
  expect(readFileSync(join(work, "packages/create-portico/CHANGELOG.md"), "utf8")).toContain("A fix to the scaffolder.");
}, 180_000);
