/**
 * A throwaway project folder for compiler tests: the given files, written
 * under a fresh temporary directory.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export function tempProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "portico-test-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A minimal valid document, with `paths` given as YAML text indented by two spaces. */
export function spec(paths: string, extra = ""): string {
  return `openapi: 3.1.0
info: { title: Test, version: "1" }
${extra}
paths:
${paths}
`;
}
