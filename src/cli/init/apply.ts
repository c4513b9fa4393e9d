/**
 * @module
 * Puts what `portico init` prepared in a scratch folder into the project:
 * the example's leftovers removed, then each file moved into place (copied
 * where the scratch folder is on another device). Nothing is written into the
 * project before the result has been checked and, on a terminal, confirmed.
 */
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Files to write, relative to the root, with their text. */
export type Staged = Map<string, string>;

/** Writes every file into `scratch`, as it would stand in the project. */
export function stage(scratch: string, files: Staged): void {
  for (const [file, text] of files) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    writeFileSync(join(scratch, file), text);
  }
}

function move(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    copyFileSync(from, to);
  }
}

/** Removes the folder and its parents while they are empty, never a top folder of the project (openapi/, policies/): wrangler watches those. */
function pruneEmpty(root: string, folder: string): void {
  while (folder.startsWith(`${root}/`) && dirname(folder) !== root && readdirSync(folder).length === 0) {
    rmdirSync(folder);
    folder = dirname(folder);
  }
}

export function apply(root: string, scratch: string, files: Iterable<string>, removed: string[]): void {
  for (const file of removed) {
    rmSync(join(root, file), { force: true });
    pruneEmpty(root, dirname(join(root, file)));
  }
  for (const file of files) move(join(scratch, file), join(root, file));
}
