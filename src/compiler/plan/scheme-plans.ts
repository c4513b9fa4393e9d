/**
 * @module
 * What one security scheme is checked as at run time (its plan), from its
 * OpenAPI type, the credential it takes (scheme-credential.ts) and the rest
 * of its `x-portico`.
 */
import type { SchemePlan } from "../../policies/authenticate/options.ts";
import { BuildError, joinPointer } from "../errors.ts";
import type { SourceSet } from "../spec/sources.ts";
import { checkCredential, credentialsOf, GUIDE } from "./scheme-credential.ts";
import { checkEndpoints } from "./scheme-endpoints.ts";

export interface SecurityContext {
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
    ctx.warnings.push(
      new BuildError(
        ctx.sources.locate(pointer),
        `The security scheme "${name}" takes bearer tokens, but nothing says which keys sign them: every request that needs it alone gets 401.`,
        `Add x-portico: { jwks: "https://issuer.example/.well-known/jwks.json", issuer: ..., audience: ... } to the scheme (or keys: "\${env.JWT_PUBLIC_KEY}"; or credential: apiKey or introspection, see ${GUIDE}#the-credential-key).`,
        "warning",
      ),
    );
    return { type: "unusable", challenge: "Bearer" };
  }
  if (!checkEndpoints(name, ext, pointer, ctx)) return undefined;
  // RFC 8725 §3.8–3.9: without them, any token the issuer signs for any API would pass.
  const missing = [ext.audience === undefined ? "audience" : "", ext.issuer === undefined && !discovery ? "issuer" : ""].filter(Boolean);
  if (missing.length > 0) {
    ctx.errors.push(
      new BuildError(
        ctx.sources.locate(joinPointer(pointer, "x-portico")),
        `The security scheme "${name}" checks bearer tokens but names no ${missing.join(" and no ")}: tokens its keys sign for any other API would be accepted.`,
        `Add ${missing.map((key) => `${key}: ...`).join(" and ")} to the scheme's x-portico (the value your identity provider puts in the token's ${missing.map((key) => (key === "audience" ? "aud" : "iss")).join(" and ")}).`,
      ),
    );
    return undefined;
  }
  return {
    type: "jwt",
    jwks: ext.jwks,
    keys: ext.keys,
    discovery: ext.jwks || ext.keys ? undefined : discovery,
    issuer: ext.issuer,
    // audience: false is the explicit "no aud to check" that the rule above asks for.
    audience: ext.audience === false ? undefined : ext.audience,
    algorithms: ext.algorithms ?? ["RS256"],
    typ: ext.typ,
    clockSkew: ext.clockSkew ?? 30,
    cooldown: ext.cooldown ?? 30,
    consumerClaim: ext.consumerClaim ?? "sub",
    consumerPrefix: ext.consumerPrefix ?? `${name}:`,
    tierClaim: ext.tierClaim,
    forwardCredentials: ext.forwardCredentials ?? false,
  };
}

function introspectionPlan(name: string, ext: Record<string, any>, pointer: string, ctx: SecurityContext): SchemePlan | undefined {
  const endpoint = (ext.introspection ?? {}) as Record<string, any>;
  const missing = ["url", "clientId", "clientSecret"].filter((key) => endpoint[key] === undefined);
  const at = joinPointer(pointer, "x-portico", ...(ext.introspection === undefined ? [] : ["introspection"]));
  if (missing.length > 0) {
    // RFC 7662 §2.1: the endpoint must know who asks, or anyone could probe tokens with it.
    ctx.errors.push(
      new BuildError(
        ctx.sources.locate(at),
        `The security scheme "${name}" checks tokens by introspection but names no introspection ${missing.join(", no ")}.`,
        `Add introspection: { url: "https://id.example/oauth2/introspect", clientId: ..., clientSecret: "\${env.INTROSPECTION_SECRET}" } to the scheme's x-portico (see ${GUIDE}#token-introspection).`,
      ),
    );
    return undefined;
  }
  if (!checkEndpoints(name, ext, pointer, ctx)) return undefined;
  if (!String(endpoint.clientSecret).includes("${env.")) {
    ctx.warnings.push(
      new BuildError(
        ctx.sources.locate(joinPointer(at, "clientSecret")),
        `The introspection client secret of the security scheme "${name}" is written in the document, so it travels with the repository and the bundle.`,
        `Keep it in a secret (\`wrangler secret put INTROSPECTION_SECRET\`; .dev.vars locally) and write clientSecret: "\${env.INTROSPECTION_SECRET}" (see ${GUIDE}#token-introspection).`,
        "warning",
      ),
    );
  }
  return {
    type: "introspection",
    url: endpoint.url,
    clientId: endpoint.clientId,
    clientSecret: endpoint.clientSecret,
    timeout: endpoint.timeout ?? 3000,
    issuer: ext.issuer,
    audience: ext.audience === false ? undefined : ext.audience,
    consumerClaim: ext.consumerClaim ?? "sub",
    consumerPrefix: ext.consumerPrefix ?? `${name}:`,
    tierClaim: ext.tierClaim,
    forwardCredentials: ext.forwardCredentials ?? false,
  };
}

/** The plan of one security scheme, or undefined after reporting why it has none. */
export function schemePlan(name: string, ctx: SecurityContext): SchemePlan | undefined {
  const pointer = joinPointer("/components/securitySchemes", name);
  const scheme = ctx.deref(ctx.document.components?.securitySchemes?.[name]) ?? {};
  const ext = (scheme["x-portico"] ?? {}) as Record<string, any>;
  const forwardCredentials = ext.forwardCredentials ?? false;
  const binding = ext.binding ?? "CONSUMERS";
  const carried = credentialsOf(scheme);
  if (!carried) {
    const what = scheme.type === "http" ? `http scheme "${scheme.scheme}"` : `type "${scheme.type}"`;
    ctx.warnings.push(
      new BuildError(
        ctx.sources.locate(pointer),
        `The security scheme "${name}" uses ${what}, which Portico cannot check: every request that needs it alone gets 401.`,
        "Use apiKey, http basic, http bearer, oauth2 or openIdConnect; or write your own policy and drop the scheme from security.",
        "warning",
      ),
    );
    const challenge = scheme.type === "http" && typeof scheme.scheme === "string" ? scheme.scheme.replace(/^./, (c: string) => c.toUpperCase()) : "Bearer";
    return { type: "unusable", challenge };
  }
  const credential = checkCredential(name, ext, pointer, carried.kind, carried.credentials, ctx);
  if (!credential) return undefined;
  if (scheme.type === "apiKey")
    return { type: "apiKey", in: scheme.in, name: scheme.in === "header" ? String(scheme.name).toLowerCase() : scheme.name, binding, forwardCredentials };
  if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "basic") return { type: "basic", binding, forwardCredentials };
  if (credential === "apiKey") return { type: "bearerKey", binding, forwardCredentials };
  if (credential === "introspection") return introspectionPlan(name, ext, pointer, ctx);
  return jwtPlan(name, scheme, ext, pointer, ctx);
}
