/**
 * @module
 * What `portico migrate` changes in a project, as a list of file changes it
 * can show before writing: deprecated x-portico keys renamed in the document,
 * and a fork moved onto the portico package.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { specPath } from "../../compiler/compile.ts";
import { renameDeprecatedKeys, type DeprecatedKey } from "./deprecated-keys.ts";
import { DEPRECATIONS, type Deprecation } from "./deprecations.ts";
import { forkMigration, type FileChange } from "./fork-migration.ts";
import { isFork } from "./layout.ts";
import { requirements, type Requirements } from "./requirements.ts";

export interface MigratePlan {
  changes: FileChange[];
  /** Deprecated keys with no mechanical rewrite: for a person. */
  left: DeprecatedKey[];
  /** The document the plan read, relative to the root. */
  spec: string;
}

export function planMigration(root: string, options: { deprecations?: readonly Deprecation[]; needs?: Requirements } = {}): MigratePlan {
  const spec = specPath(root);
  const file = relative(root, spec);
  const changes: FileChange[] = [];
  let left: DeprecatedKey[] = [];
  if (existsSync(spec)) {
    const result = renameDeprecatedKeys(readFileSync(spec, "utf8"), options.deprecations ?? DEPRECATIONS);
    left = result.left;
    if (result.renamed.length > 0) {
      const notes = result.renamed.map(
        ({ deprecation, line }) => `line ${line}: "${deprecation.from}" → "${deprecation.to}" (deprecated since ${deprecation.since})`,
      );
      changes.push({ file, text: result.text, notes });
    }
  }
  if (isFork(root)) changes.push(...forkMigration(root, options.needs ?? requirements()));
  return { changes, left, spec: file };
}

export function applyMigration(root: string, plan: MigratePlan): void {
  for (const change of plan.changes) {
    const path = join(root, change.file);
    if (change.text === null) rmSync(path, { recursive: true, force: true });
    else writeFileSync(path, change.text);
  }
}
