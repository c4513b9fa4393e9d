/**
 * @module
 * Every x-portico key Portico has renamed or removed, in one table, read by
 * `portico doctor` (which reports them) and `portico migrate` (which rewrites
 * the renamed ones). A release that renames a key adds one row here and a
 * changeset saying so; the old spelling then fails the build (the schemas
 * refuse unknown keys), and the build's hint names `portico migrate`.
 *
 * The table is empty: no x-portico key has been renamed or removed since the
 * first release (the history of docs/x-portico-reference.md and
 * src/compiler/spec/extension-schema.ts only adds keys). The mechanism is
 * tested with tables of its own in src/cli/upgrade/deprecated-keys.test.ts.
 */

/** An x-portico object of the document root, of an operation, of a security scheme, or the options of a built-in (by its `use` name). */
export type DeprecationPlace = "root" | "operation" | "scheme" | { options: string };

export interface Deprecation {
  /** Where the key is written. */
  in: DeprecationPlace;
  /** The old spelling. */
  from: string;
  /** The new spelling; absent when the key was removed with nothing that replaces it by renaming. */
  to?: string;
  /** The Portico version that deprecated it. */
  since: string;
  /** What to do instead, for a key that cannot be rewritten mechanically. */
  note?: string;
}

export const DEPRECATIONS: readonly Deprecation[] = [];
