/**
 * @module
 * Zuplo's authentication policies as OpenAPI security schemes: the API key
 * service's key (read as a bearer token or from a header) and JWTs checked
 * against an issuer's keys. Portico then derives authentication from them.
 */
import { unknownOptions, type Mapped, type Options } from "./policy-map.ts";

function jwtScheme(name: string, x: Options, optional: boolean): Mapped {
  if (x.audience === undefined) return { kind: "unmapped", reason: "Portico pins every JWT scheme to an audience, and this policy sets none" };
  return {
    kind: "auth",
    optional,
    scheme: {
      name,
      // consumerPrefix "": request.user.sub stays the token's sub, as on Zuplo.
      definition: { type: "http", scheme: "bearer", bearerFormat: "JWT", "x-portico": { ...x, algorithms: ["RS256"], consumerPrefix: "" } },
    },
  };
}

export function mapAuth(policyType: string, o: Options, name: string): Mapped {
  const optional = o.allowUnauthenticatedRequests === true;
  let problem: string | undefined;
  switch (policyType) {
    case "api-key-inbound": {
      if (
        (problem = unknownOptions(o, [
          "allowUnauthenticatedRequests",
          "cacheTtlSeconds",
          "authHeader",
          "authScheme",
          "bucketName",
          "disableAutomaticCallerHeader",
        ]))
      )
        return { kind: "unmapped", reason: problem };
      const header = String(o.authHeader ?? "authorization").toLowerCase();
      const scheme = o.authScheme ?? "Bearer";
      if (header === "authorization" && scheme === "Bearer")
        return { kind: "auth", optional, scheme: { name, definition: { type: "http", scheme: "bearer", "x-portico": { credential: "apiKey" } } } };
      if (scheme === "") return { kind: "auth", optional, scheme: { name, definition: { type: "apiKey", in: "header", name: o.authHeader } } };
      return { kind: "unmapped", reason: `the key read as \`${scheme} <key>\` from ${o.authHeader} has no Portico counterpart` };
    }
    case "open-id-jwt-auth-inbound":
      if ((problem = unknownOptions(o, ["allowUnauthenticatedRequests", "issuer", "audience", "jwkUrl"]))) return { kind: "unmapped", reason: problem };
      if (!o.jwkUrl || !o.issuer) return { kind: "unmapped", reason: "Portico needs both `issuer` and `jwkUrl` to verify tokens" };
      return jwtScheme(name, { jwks: o.jwkUrl, issuer: o.issuer, audience: o.audience }, optional);
    case "auth0-jwt-auth-inbound":
      if ((problem = unknownOptions(o, ["allowUnauthenticatedRequests", "auth0Domain", "audience", "oAuthResourceMetadataEnabled"])))
        return { kind: "unmapped", reason: problem };
      if (o.oAuthResourceMetadataEnabled) return { kind: "unmapped", reason: "`oAuthResourceMetadataEnabled` has no Portico counterpart" };
      return jwtScheme(name, { jwks: `https://${o.auth0Domain}/.well-known/jwks.json`, issuer: `https://${o.auth0Domain}/`, audience: o.audience }, optional);
    case "clerk-jwt-auth-inbound": {
      if ((problem = unknownOptions(o, ["allowUnauthenticatedRequests", "frontendApiUrl", "oAuthResourceMetadataEnabled", "audience"])))
        return { kind: "unmapped", reason: problem };
      if (o.oAuthResourceMetadataEnabled) return { kind: "unmapped", reason: "`oAuthResourceMetadataEnabled` has no Portico counterpart" };
      if (!o.frontendApiUrl) return { kind: "unmapped", reason: "Portico needs `frontendApiUrl` (the tokens' issuer) to verify tokens" };
      // The Frontend API URL is the tokens' iss and serves the instance's keys. Session tokens carry no aud
      // (azp names the app's origin) and Zuplo checks none, so audience: false unless one is set.
      const frontend = String(o.frontendApiUrl).replace(/\/$/, "");
      return jwtScheme(name, { jwks: `${frontend}/.well-known/jwks.json`, issuer: frontend, audience: o.audience ?? false }, optional);
    }
  }
  return { kind: "unmapped", reason: `the built-in \`${policyType}\` has no Portico counterpart` };
}
