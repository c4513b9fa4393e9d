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
import type { SourceSet } from "../spec/sources.ts";


interface SecurityContext {
  document: Record<string, any>;
  sources: SourceSet;
  errors: BuildError[];
  warnings: BuildError[];
  deref: (value: unknown) => any;
}

function jwtPlan(name: string, scheme: Record<string, any>, ext: Record<string, any>, pointer: string, ctx: SecurityContext): SchemePlan | undefined {
  const discovery = ext.discovery ?? (scheme.type === "openIdConnect" ? scheme.openIdConnectUrl : undefined);
  if (!ext.jwks && !ext.keys && !discovery) {
    // A warning, not an error, so any document can be served as a mock; the gateway fails closed.
    ctx.warnings.push(new BuildError(ctx.sources.locate(pointer), `The security scheme "${name}" takes bearer tokens, but nothing says which keys sign them: every request that needs it alone gets 401.`, `Add x-portico: { jwks: "https://issuer.example/.well-known/jwks.json", issuer: ..., audience: ... } to the scheme (or keys: "\${env.JWT_PUBLIC_KEY}").`, "warning"));
    return { type: "unusable", challenge: "Bearer" };
  }
  // RFC 8725 §3.8–3.9: without them, any token the issuer signs for any API would pass.
  const missing = [ext.audience === undefined ? "audience" : "", ext.issuer === undefined && !discovery ? "issuer" : ""].filter(Boolean);
  if (missing.length > 0) {
    ctx.errors.push(new BuildError(ctx.sources.locate(joinPointer(pointer, "x-portico")), `The security scheme "${name}" checks bearer tokens but names no ${missing.join(" and no ")}: tokens its keys sign for any other API would be accepted.`, `Add ${missing.map((key) => `${key}: ...`).join(" and ")} to the scheme's x-portico (the value your identity provider puts in the token's ${missing.map((key) => (key === "audience" ? "aud" : "iss")).join(" and ")}).`));
    return undefined;
  }
  return {
    type: "jwt",
    jwks: ext.jwks,
    keys: ext.keys,
    discovery: ext.jwks || ext.keys ? undefined : discovery,
    issuer: ext.issuer,
    audience: ext.audience,
    algorithms: ext.algorithms ?? ["RS256"],
    typ: ext.typ,
    clockSkew: ext.clockSkew ?? 30,
    cooldown: ext.cooldown ?? 30,
    consumerClaim: ext.consumerClaim ?? "sub",
    tierClaim: ext.tierClaim,
    forwardCredentials: ext.forwardCredentials ?? false,
  };
}

function schemePlan(name: string, ctx: SecurityContext): SchemePlan | undefined {
  const pointer = joinPointer("/components/securitySchemes", name);
  const scheme = ctx.deref(ctx.document.components?.securitySchemes?.[name]) ?? {};
  const ext = (scheme["x-portico"] ?? {}) as Record<string, any>;
  const forwardCredentials = ext.forwardCredentials ?? false;
  const binding = ext.binding ?? "CONSUMERS";
  if (scheme.type === "apiKey") return { type: "apiKey", in: scheme.in, name: scheme.in === "header" ? String(scheme.name).toLowerCase() : scheme.name, binding, forwardCredentials };
  if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "basic") return { type: "basic", binding, forwardCredentials };
  if ((scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") || scheme.type === "oauth2" || scheme.type === "openIdConnect") {
    return jwtPlan(name, scheme, ext, pointer, ctx);
  }
  const what = scheme.type === "http" ? `http scheme "${scheme.scheme}"` : `type "${scheme.type}"`;
  ctx.warnings.push(new BuildError(ctx.sources.locate(pointer), `The security scheme "${name}" uses ${what}, which Portico cannot check: every request that needs it alone gets 401.`, "Use apiKey, http basic, http bearer, oauth2 or openIdConnect; or write your own policy and drop the scheme from security.", "warning"));
  const challenge = scheme.type === "http" && typeof scheme.scheme === "string" ? scheme.scheme.replace(/^./, (c: string) => c.toUpperCase()) : "Bearer";
  return { type: "unusable", challenge };
}

/**
 * Plans one operation's authentication. Every operation gets the step, public
 * ones too: it is what drops a caller's forged X-Consumer-* headers.
 */
export function planAuthentication(ctx: SecurityContext, operation: Record<string, any>, pointer: string, plans: Map<string, SchemePlan | undefined>): ResolvedUse | undefined {
  const own = operation.security !== undefined;
  const security: unknown = own ? operation.security : ctx.document.security;
  const securityPointer = own ? joinPointer(pointer, "security") : "/security";
  const requirements: Requirement[] = [];
  const schemes: Record<string, SchemePlan> = {};
  let broken = false;
  for (const [i, alternative] of (Array.isArray(security) ? security : []).entries()) {
    const requirement: Requirement = [];
    for (const [name, scopes] of Object.entries<unknown>(alternative ?? {})) {
      if (ctx.document.components?.securitySchemes?.[name] === undefined) {
        ctx.errors.push(new BuildError(ctx.sources.locate(joinPointer(securityPointer, i, name)), `security names the scheme "${name}", which components.securitySchemes does not define.`, "Define it under components.securitySchemes, or fix the name."));
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
  return { name: builtin.name, use: builtin.name, builtin, module: runtimeModuleOf(builtin), options: { ...options }, where: pointer, pointer, gatewayWide: false };
}
