/**
 * @module
 * Derives an operation's request validation from its parameters and
 * requestBody: one rule per parameter (how to read it) and one per declared
 * media type, each pointing at a validator compiled into .portico/validators.ts.
 */
import { isJsonMediaType } from "../../handlers/mock/options.ts";
import type { BodyRule, MediaRule } from "../../policies/validate-request/body.ts";
import type { ValidateRequestPrepared } from "../../policies/validate-request/validate-request.ts";
import { CodeRef, type AtBuild } from "../../builtin-descriptor.ts";
import { BuildError, joinPointer, pointerOf, tokensOf } from "../errors.ts";
import { DEFAULT_FORM_LIMITS, type FormLimits } from "../../policies/validate-request/form-tree.ts";
import { formBodyRule } from "./form-body.ts";
import { DEFAULT_MAX_STRING_LENGTH } from "../../runtime/validation/violations.ts";
import { operationRules, parameterRule, type ParameterRule } from "./parameter-rules.ts";
import { runtimeModuleOf, type ResolvedUse } from "./policies.ts";
import { BUILTINS } from "../registry.ts";
import { costlySchemas } from "./schema-cost.ts";
import type { SourceSet } from "../spec/sources.ts";
import type { ValidatorSet } from "../validators/validators.ts";

/** Bodies are read into memory to be validated; beyond this size they get 413 unless the operation says more. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

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

function warnOnce(ctx: ValidationContext, pointer: string, message: string, hint: string): void {
  const { warned } = doneWith(ctx.document);
  const key = `${pointer}\n${message}`;
  if (warned.has(key)) return;
  warned.add(key);
  ctx.warnings.push(new BuildError(ctx.sources.locate(pointer), message, hint, "warning"));
}

/** The validator of a request schema, with a warning for what in it a client could make costly to check. */
function requestValidatorAt(ctx: ValidationContext, pointer: string): CodeRef | undefined {
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

function kindOf(range: string): MediaRule["kind"] {
  if (isJsonMediaType(range)) return "json";
  if (range === "application/x-www-form-urlencoded") return "form";
  if (range === "multipart/form-data") return "multipart";
  if (range.startsWith("text/")) return "text";
  return "binary";
}

/** Ranges that take JSON, form and multipart bodies too, and would leave their schema unchecked. */
const CATCH_ALL_RANGES = new Set(["*/*", "application/*", "multipart/*"]);

/** A schema that only says "some bytes": nothing a range hides from the check. */
function describesBytes(schema: unknown): boolean {
  if (schema === true || (schema !== null && typeof schema === "object" && Object.keys(schema).length === 0)) return true;
  const { format, contentMediaType, contentEncoding } = (schema ?? {}) as Record<string, unknown>;
  return format === "binary" || format === "byte" || contentMediaType !== undefined || contentEncoding !== undefined;
}

function planParameters(ctx: ValidationContext, path: string, method: string): AtBuild<ValidateRequestPrepared["parameters"]> {
  const rules: Array<(ParameterRule & { validator?: CodeRef }) | undefined> = [];
  const lists = [
    [ctx.document.paths[path].parameters, joinPointer("/paths", path, "parameters")],
    [ctx.document.paths[path][method].parameters, joinPointer("/paths", path, method, "parameters")],
  ] as const;
  for (const [list, base] of lists) {
    for (const [i, raw] of (Array.isArray(list) ? list : []).entries()) {
      const { node, pointer } = follow(ctx.document, raw, joinPointer(base, i));
      let rule: ParameterRule | undefined;
      try {
        rule = parameterRule(node, ctx.deref);
      } catch (error) {
        ctx.errors.push(
          new BuildError(ctx.sources.locate(pointer), (error as Error).message, "See the Parameter Object of OpenAPI 3.1 for the styles each location takes."),
        );
        continue;
      }
      if (!rule) continue;
      const schemaPointer = node.content ? joinPointer(pointer, "content", Object.keys(node.content)[0], "schema") : joinPointer(pointer, "schema");
      const hasSchema = tokensOf(schemaPointer).reduce((at: any, token) => at?.[token], ctx.document) !== undefined;
      rules.push({ ...rule, validator: hasSchema ? requestValidatorAt(ctx, schemaPointer) : undefined });
    }
  }
  return operationRules(rules);
}

function planBody(ctx: ValidationContext, operation: Record<string, any>, pointer: string, limits: FormLimits): AtBuild<BodyRule> | undefined {
  if (operation.requestBody === undefined) return undefined;
  const { node, pointer: at } = follow(ctx.document, operation.requestBody, joinPointer(pointer, "requestBody"));
  const media: AtBuild<MediaRule>[] = [];
  for (const [range, object] of Object.entries<any>(node?.content ?? {})) {
    const type = range.split(";")[0].trim().toLowerCase();
    const kind = kindOf(type);
    const schemaPointer = joinPointer(at, "content", range, "schema");
    const schema = ctx.deref(object)?.schema;
    const rule: AtBuild<MediaRule> = { range: type, kind };
    if (schema !== undefined && kind !== "binary") rule.validator = requestValidatorAt(ctx, schemaPointer);
    if (schema !== undefined && kind === "binary" && CATCH_ALL_RANGES.has(type) && !describesBytes(ctx.deref(schema))) {
      warnOnce(
        ctx,
        schemaPointer,
        `This schema is not checked: Portico validates JSON, form, multipart and text bodies, and a body that falls under ${type} is passed on unread.`,
        "Declare the media type the schema describes (application/json, for one) instead of the range, or drop the schema.",
      );
    }
    if (schema !== undefined && (kind === "form" || kind === "multipart")) {
      const mediaPointer = joinPointer(at, "content", range);
      const read = formBodyRule({ kind, media: ctx.deref(object), pointer: mediaPointer, deref: ctx.deref, limits });
      Object.assign(rule, read.rule);
      for (const issue of read.errors) ctx.errors.push(new BuildError(ctx.sources.locate(issue.pointer), issue.message, issue.hint));
      for (const issue of read.warnings) warnOnce(ctx, issue.pointer, issue.message, issue.hint);
    }
    media.push(rule);
  }
  const reads = media.some((rule) => rule.kind === "form" || rule.kind === "multipart");
  return { required: node?.required === true, media, ...(reads ? { formLimits: limits } : {}) };
}

/** The form limits an operation's `x-portico: { validate: { form } }` sets, over the defaults. */
/** An operation's or the document's `validate` object; `true` and absent say nothing of their own. */
interface ValidateSetting {
  mode?: "enforce" | "report";
  maxBodyBytes?: number;
  maxStringLength?: number;
  form?: Partial<FormLimits>;
}

/**
 * The operation's validation settings: the document's `x-portico.validate`,
 * with the operation's own keys over it; undefined when validation is off.
 */
function settingOf(root: unknown, own: unknown): ValidateSetting | undefined {
  if (own === false || (root === false && (own === undefined || own === true))) return undefined;
  const asObject = (value: unknown): ValidateSetting => (typeof value === "object" && value !== null ? (value as ValidateSetting) : {});
  const [base, mine] = [asObject(root), asObject(own)];
  return { ...base, ...mine, form: { ...base.form, ...mine.form } };
}

/** The validate-request step of one operation, unless its x-portico turns validation off. */
export function planValidation(ctx: ValidationContext, path: string, method: string): ResolvedUse | undefined {
  const operation = ctx.document.paths[path][method];
  const setting = settingOf(ctx.document["x-portico"]?.validate, operation["x-portico"]?.validate);
  if (!setting) return undefined;
  const pointer = joinPointer("/paths", path, method);
  const prepared: AtBuild<ValidateRequestPrepared> = {
    parameters: planParameters(ctx, path, method),
    body: planBody(ctx, operation, pointer, { ...DEFAULT_FORM_LIMITS, ...setting.form }),
    maxBodyBytes: setting.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    mode: setting.mode ?? "enforce",
    maxStringLength: setting.maxStringLength ?? DEFAULT_MAX_STRING_LENGTH,
  };
  // Nothing to check: a GET without parameters still refuses a body it does not declare.
  const builtin = BUILTINS.get("validate-request")!;
  return {
    name: builtin.name,
    use: builtin.name,
    builtin,
    module: runtimeModuleOf(builtin),
    options: {},
    prepared,
    where: pointer,
    pointer,
    gatewayWide: false,
  };
}
