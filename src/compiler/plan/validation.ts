/**
 * @module
 * Derives an operation's request validation from its parameters and
 * requestBody: one rule per parameter (how to read it) and one per declared
 * media type, each pointing at a validator compiled into .portico/validators.ts.
 */
import type { ValidateRequestPrepared } from "../../policies/validate-request/validate-request.ts";
import type { AtBuild, CodeRef } from "../../builtin-descriptor.ts";
import { BuildError, joinPointer, tokensOf } from "../errors.ts";
import { DEFAULT_FORM_LIMITS, type FormLimits } from "../../policies/validate-request/form-tree.ts";
import { DEFAULT_MAX_STRING_LENGTH } from "../../runtime/validation/violations.ts";
import { planBody } from "./body-validation.ts";
import { operationRules, parameterRule, type ParameterRule } from "./parameter-rules.ts";
import { runtimeModuleOf, type ResolvedUse } from "./policies.ts";
import { BUILTINS } from "../registry.ts";
import { follow, requestValidatorAt, type ValidationContext } from "./validator-lookup.ts";

/** Bodies are read into memory to be validated; beyond this size they get 413 unless the operation says more. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

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
