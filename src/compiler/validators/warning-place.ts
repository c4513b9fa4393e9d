/**
 * @module
 * Where in the document a validator compiler's warning points: Ajv names the
 * place inside the schema it compiles ("schema at path \"#/properties/x\""),
 * and the validator set adds the schema's own pointer ("compiling the schema
 * at /paths/..."), so a warning is reported at the keyword it is about.
 */
import { pointerOf, tokensOf } from "../errors.ts";

const COMPILED_AT = / \(compiling the schema at (\/[^)]*)\)$/;
const PATH_IN_SCHEMA = /schema at path "([^"]*)"/;

/** The JSON pointer a warning of the validator set is about; "" when it names no place. */
export function warningPointer(warning: string): string {
  const compiled = COMPILED_AT.exec(warning)?.[1];
  const path = PATH_IN_SCHEMA.exec(warning)?.[1];
  // A path that is not "#/..." is inside another resource (a schema's own $id): the compiled schema is the nearest place.
  if (compiled === undefined || !path?.startsWith("#/")) return compiled ?? "";
  let fragment = path.slice(1);
  try {
    fragment = decodeURIComponent(fragment);
  } catch {
    // Kept as written.
  }
  return pointerOf(...tokensOf(compiled), ...tokensOf(fragment));
}
