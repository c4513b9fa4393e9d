/**
 * @module
 * Finds the validator for a schema of the document: `$ref`s followed to where
 * it stands, compiled once into the validator set, a schema that does not
 * compile told where it is, and what in a request schema a client could make
 * costly to check warned of once per document.
 */
import { CodeRef } from "../../builtin-descriptor.ts";
import { BuildError, pointerOf, tokensOf } from "../errors.ts";
import { costlySchemas } from "./schema-cost.ts";
import type { SourceSet } from "../spec/sources.ts";
import type { ValidatorSet } from "../validators/validator-set.ts";

export interface ValidationContext {
  document: Record<string, any>;
  sources: SourceSet;
  errors: BuildError[];
  warnings: BuildError[];
  deref: (value: unknown) => any;
  validators: ValidatorSet;
}

/** Per document: what was warned about, and which schemas were looked at for cost; a component many operations use is named once. */
const done = new WeakMap<object, { warned: Set<string>; walked: Set<string> }>();

function doneWith(document: object) {
  let record = done.get(document);
  if (!record) done.set(document, (record = { warned: new Set(), walked: new Set() }));
  return record;
}

export function warnOnce(ctx: ValidationContext, pointer: string, message: string, hint: string): void {
  const { warned } = doneWith(ctx.document);
  const key = `${pointer}\n${message}`;
  if (warned.has(key)) return;
  warned.add(key);
  ctx.warnings.push(new BuildError(ctx.sources.locate(pointer), message, hint, "warning"));
}

/** The validator of a request schema, with a warning for what in it a client could make costly to check. */
export function requestValidatorAt(ctx: ValidationContext, pointer: string): CodeRef | undefined {
  const name = validatorAt(ctx, pointer);
  if (name === undefined) return undefined;
  for (const cost of costlySchemas(ctx.document, pointer, doneWith(ctx.document).walked)) warnOnce(ctx, cost.pointer, cost.message, cost.hint);
  return new CodeRef("validator", `validators.${name}`);
}

/** Follows `$ref`s to the object and the pointer where it really stands. */
export function follow(document: Record<string, any>, value: unknown, pointer: string): { node: any; pointer: string } {
  const seen = new Set<string>();
  let node: any = value;
  while (node && typeof node === "object" && typeof node.$ref === "string" && node.$ref.startsWith("#") && !seen.has(node.$ref)) {
    seen.add(node.$ref);
    pointer = pointerOf(...tokensOf(decodeURIComponent(node.$ref.slice(1))));
    node = tokensOf(pointer).reduce((at: any, token) => at?.[token], document);
  }
  return { node, pointer };
}

export function validatorAt(ctx: ValidationContext, pointer: string): string | undefined {
  try {
    return ctx.validators.forPointer(pointer);
  } catch (error) {
    ctx.errors.push(
      new BuildError(
        ctx.sources.locate(pointer),
        `This schema cannot be compiled into a validator: ${(error as Error).message}`,
        "Fix the schema, or turn validation off for the operation with x-portico: { validate: false }.",
      ),
    );
    return undefined;
  }
}
