/**
 * @module
 * A named policy called by a built-in's name takes that name over: wherever
 * the bare name is listed, the named instance runs (one instance, shared),
 * while `use:` with the name still means the built-in. The build warns.
 */
import { BuildError, joinPointer } from "../errors.ts";
import { BUILTINS } from "../registry.ts";
import type { SourceSet } from "../spec/sources.ts";

export function shadowedBuiltins(named: Record<string, { use?: unknown }>, sources: SourceSet): BuildError[] {
  return Object.entries(named).flatMap(([name, definition]) => {
    const builtin = BUILTINS.get(name);
    // A derived built-in (authenticate) is never listed by name, so nothing is hidden.
    if (!builtin || builtin.derived) return [];
    const instead =
      definition?.use === name
        ? "this one instance runs, shared by every listing, where the bare name would be an instance of its own each time"
        : `"${String(definition?.use)}" runs instead of the built-in`;
    return [
      new BuildError(
        sources.locate(joinPointer("/x-portico/policies", name)),
        `The named policy "${name}" has the name of a built-in: wherever "${name}" is listed, ${instead}.`,
        `Rename it (such as "my-${name}") and list it by that name; see docs/x-portico.md#policy-and-handler-references.`,
        "warning",
      ),
    ];
  });
}
