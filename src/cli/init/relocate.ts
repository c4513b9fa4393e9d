/**
 * @module
 * Build errors of the copy init checks, pointed back at the files the user
 * gave: the copy in the scratch folder is byte for byte theirs (the handler is
 * added only after the check), so line and column hold as they are.
 */
import { join, sep } from "node:path";
import { BuildError } from "../../compiler/errors.ts";

export function relocate(errors: BuildError[], scratch: string, origins: Map<string, string>): BuildError[] {
  const copied = join(scratch, "openapi") + sep;
  return errors.map((error) => {
    const { file } = error.location;
    const origin = file.startsWith(copied) ? origins.get(file.slice(copied.length).split(sep).join("/")) : undefined;
    if (origin === undefined) return error;
    const moved = new BuildError({ ...error.location, file: origin }, error.message, error.hint, error.severity);
    moved.group = error.group;
    moved.frame = error.frame;
    return moved;
  });
}
