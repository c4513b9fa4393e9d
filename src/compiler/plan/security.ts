/**
 * @module
 * Derives each operation's authentication from `components.securitySchemes`
 * and `security` (the operation's, else the document's), with OpenAPI's
 * meaning: alternatives OR, schemes in one alternative AND, `[]` public.
 */
import type { AuthenticateOptions, Requirement, SchemePlan } from "../../policies/authenticate/options.ts";
import { BuildError, joinPointer } from "../errors.ts";
import { runtimeModuleOf, type ResolvedUse } from "./policies.ts";
import { BUILTINS } from "../registry.ts";
import { schemePlan, type SecurityContext } from "./scheme-plans.ts";

/**
 * Plans one operation's authentication. Every operation gets the step, public
 * ones too: it is what drops a caller's forged X-Consumer-* headers.
 */
export function planAuthentication(
  ctx: SecurityContext,
  operation: Record<string, any>,
  pointer: string,
  plans: Map<string, SchemePlan | undefined>,
): ResolvedUse | undefined {
  const own = operation.security !== undefined;
  const security: unknown = own ? operation.security : ctx.document.security;
  const securityPointer = own ? joinPointer(pointer, "security") : "/security";
  const requirements: Requirement[] = [];
  const schemes: Record<string, SchemePlan> = {};
  let broken = false;
  for (const [i, alternative] of (Array.isArray(security) ? security : []).entries()) {
    const requirement: Requirement = [];
    for (const [name, scopes] of Object.entries<unknown>(alternative ?? {})) {
      const defined = ctx.document.components?.securitySchemes;
      if (!defined || !Object.hasOwn(defined, name)) {
        ctx.errors.push(
          new BuildError(
            ctx.sources.locate(joinPointer(securityPointer, i, name)),
            `security names the scheme "${name}", which components.securitySchemes does not define.`,
            "Define it under components.securitySchemes, or fix the name.",
          ),
        );
        broken = true;
        continue;
      }
      if (!plans.has(name)) plans.set(name, schemePlan(name, ctx));
      const plan = plans.get(name);
      if (!plan) {
        broken = true;
        continue;
      }
      schemes[name] = plan;
      requirement.push({ scheme: name, scopes: Array.isArray(scopes) ? scopes.map(String) : [] });
    }
    requirements.push(requirement);
  }
  if (broken) return undefined;
  const realm = String(ctx.document.info?.title ?? "api").replace(/["\\]/g, "");
  const options: AuthenticateOptions = { requirements, schemes, realm };
  const builtin = BUILTINS.get("authenticate")!;
  return {
    name: builtin.name,
    use: builtin.name,
    builtin,
    module: runtimeModuleOf(builtin),
    options: { ...options },
    where: pointer,
    pointer,
    gatewayWide: false,
  };
}
