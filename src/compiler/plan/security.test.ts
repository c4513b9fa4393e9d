import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";
import type { BuildError } from "../errors.ts";
import type { SourceSet } from "../spec/sources.ts";
import { schemePlan } from "./scheme-plans.ts";

const operation = `  /things:
    get:
      x-portico: { handler: mock }
      responses: { "200": { description: ok } }`;

async function check(schemes: string, security = "security: [{ s: [] }]") {
  const extra = `${security}
components:
  securitySchemes:
${schemes}`;
  return compile({ root: tempProject({ "openapi/openapi.yaml": spec(operation, extra) }), check: true });
}

describe("security schemes at build time", () => {
  it("refuses a bearer scheme without audience or issuer, at the scheme's x-portico", async () => {
    const { errors } = await check(`    s:
      type: http
      scheme: bearer
      x-portico: { jwks: "https://id.example/jwks.json" }`);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain("names no audience and no issuer");
    expect(errors[0].location.pointer).toBe("/components/securitySchemes/s/x-portico");
  });

  it("builds a bearer scheme that says its issuer's tokens carry no audience, and only with false", async () => {
    const scheme = (audience: string) => `    s:
      type: http
      scheme: bearer
      x-portico: { jwks: "https://id.example/jwks.json", issuer: "https://id.example", audience: ${audience} }`;
    expect((await check(scheme("false"))).errors).toEqual([]);
    const { errors } = await check(scheme("true"));
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors.map((error) => error.location.pointer))).toEqual(new Set(["/components/securitySchemes/s/x-portico/audience"]));
  });

  it("takes the issuer of an OpenID Connect scheme from discovery, but still wants an audience", async () => {
    const { errors } = await check(`    s:
      type: openIdConnect
      openIdConnectUrl: https://id.example/.well-known/openid-configuration
      x-portico: { audience: museum }`);
    expect(errors).toEqual([]);
  });

  it("warns, and builds, when a bearer scheme names no keys, or a kind Portico cannot check", async () => {
    const bearer = await check(`    s: { type: http, scheme: bearer }`);
    expect(bearer.errors).toEqual([]);
    expect(bearer.warnings.map((w) => w.message).join("\n")).toContain("every request that needs it alone gets 401");
    const digest = await check(`    s: { type: http, scheme: digest }`);
    expect(digest.errors).toEqual([]);
    expect(digest.warnings.map((w) => w.message).join("\n")).toContain('http scheme "digest"');
  });

  it.each([
    ["not a url", "has no scheme: the gateway needs an absolute URL"],
    ["file:///etc/jwks.json", 'uses the scheme "file:": the gateway sends requests over http and https only'],
    ["/.well-known/jwks.json", "is relative: the gateway needs an absolute URL"],
  ])("refuses a jwks of %s at the jwks, on its line", async (url, reason) => {
    const { errors } = await check(`    s:
      type: http
      scheme: bearer
      x-portico:
        jwks: "${url}"
        issuer: https://id.example/
        audience: museum`);
    expect(errors.map((e) => e.message)).toEqual([`The jwks of the security scheme "s", "${url}", ${reason}.`]);
    expect(errors[0].location).toMatchObject({ pointer: "/components/securitySchemes/s/x-portico/jwks", line: 10 });
    expect(errors[0].hint).toContain("docs/authentication.md");
  });

  it("takes a jwks that is a Worker var, or whose host one brings, for run time to check", async () => {
    for (const url of ["${env.JWKS_URL}", "${env.ISSUER_URL}/.well-known/jwks.json", "https://${env.TENANT}.auth.example/jwks.json"]) {
      const { errors } = await check(`    s: { type: http, scheme: bearer, x-portico: { jwks: "${url}", issuer: "https://id.example/", audience: museum } }`);
      expect(errors, url).toEqual([]);
    }
  });

  it("refuses the discovery and introspection URLs the same way", async () => {
    const discovery = await check(
      `    s: { type: openIdConnect, openIdConnectUrl: https://id.example/, x-portico: { discovery: "id.example/.well-known/openid-configuration", audience: museum } }`,
    );
    expect(discovery.errors.map((e) => e.location.pointer)).toEqual(["/components/securitySchemes/s/x-portico/discovery"]);
    expect(discovery.errors[0].hint).toMatch(/^Did you mean "https:\/\/id\.example\/\.well-known\/openid-configuration"\?/);
    const introspection = await check(
      `    s: { type: http, scheme: bearer, x-portico: { credential: introspection, introspection: { url: "javascript:void(0)", clientId: g, clientSecret: "\${env.S}" } } }`,
    );
    expect(introspection.errors.map((e) => e.location.pointer)).toEqual(["/components/securitySchemes/s/x-portico/introspection/url"]);
  });

  it("refuses HMAC algorithms beside a JWKS, static keys or discovery: public keys never verify them", async () => {
    const { errors } = await check(`    s:
      type: http
      scheme: bearer
      x-portico:
        jwks: https://id.example/jwks.json
        issuer: https://id.example/
        audience: museum
        algorithms: [RS256, HS256]`);
    expect(errors.map((e) => e.message)).toEqual([
      'The security scheme "s" accepts HS256, but its jwks serves public keys: HS256 needs a shared secret, which a key set published at a URL must never hold (anyone could sign tokens with it): every HS256 token would be refused.',
    ]);
    expect(errors[0].location).toMatchObject({ pointer: "/components/securitySchemes/s/x-portico/algorithms/1", line: 13 });
    expectGuideLink(errors[0], "a-security-schemes-x-portico");
    const keys = await check(`    s: { type: http, scheme: bearer, x-portico: { keys: "\${env.KEY}", issuer: i, audience: a, algorithms: [HS512] } }`);
    expect(keys.errors.map((e) => e.message)).toEqual([expect.stringContaining("its keys are public keys (a JWKS or an SPKI PEM), which never verify HS512")]);
    const discovery = await check(`    s: { type: openIdConnect, openIdConnectUrl: https://id.example/, x-portico: { audience: a, algorithms: [HS384] } }`);
    expect(discovery.errors.map((e) => e.location.pointer)).toEqual(["/components/securitySchemes/s/x-portico/algorithms/0"]);
  });

  it("refuses a requirement naming an undefined scheme, at its pointer", async () => {
    const { errors } = await check(`    s: { type: apiKey, in: header, name: X-Key }`, "security: [{ nope: [] }]");
    expect(errors[0].message).toContain('"nope"');
    expect(errors[0].location.pointer).toBe("/security/0/nope");
  });
});

/** The plan of one scheme, as the route table gets it, with what the build said about it. */
function planOf(scheme: Record<string, unknown>) {
  const errors: BuildError[] = [];
  const warnings: BuildError[] = [];
  const sources = { locate: (pointer: string) => ({ file: "openapi/openapi.yaml", pointer }) } as unknown as SourceSet;
  const document = { components: { securitySchemes: { s: scheme } } };
  return { plan: schemePlan("s", { document, sources, errors, warnings, deref: (value) => value }), errors, warnings };
}

const guide = readFileSync(fileURLToPath(new URL("../../../docs/authentication.md", import.meta.url).href), "utf8");
/** GitHub's anchor of each heading of docs/authentication.md. */
const anchors = new Set(
  [...guide.matchAll(/^#+ (.+)$/gm)].map(([, title]) =>
    title
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, "")
      .replaceAll(" ", "-"),
  ),
);

/** Every fix names a section that docs/authentication.md has. */
function expectGuideLink(error: BuildError, anchor: string) {
  expect(error.hint).toContain(`docs/authentication.md#${anchor}`);
  expect(anchors).toContain(anchor);
}

const jwks = `jwks: "https://id.example/jwks.json", issuer: "https://id.example/", audience: museum`;
const endpoint = `introspection: { url: "\${env.INTROSPECT_URL}", clientId: gateway, clientSecret: "\${env.INTROSPECT_SECRET}" }`;

describe("x-portico.credential", () => {
  it("leaves bearer schemes as they were: without credential (or with credential: jwt) a token is a JWT", () => {
    const bearer = { type: "http", scheme: "bearer", "x-portico": { jwks: "https://id.example/jwks.json", issuer: "https://id.example/", audience: "museum" } };
    const implicit = planOf(bearer);
    expect(implicit.plan).toMatchObject({ type: "jwt", jwks: "https://id.example/jwks.json", consumerClaim: "sub", consumerPrefix: "s:" });
    expect(planOf({ ...bearer, "x-portico": { ...bearer["x-portico"], credential: "jwt" } }).plan).toEqual(implicit.plan);
  });

  it("credential: apiKey on http bearer reads consumers' keys from the same KV binding as an apiKey scheme", () => {
    expect(planOf({ type: "http", scheme: "bearer", "x-portico": { credential: "apiKey" } })).toEqual({
      plan: { type: "bearerKey", binding: "CONSUMERS", forwardCredentials: false },
      errors: [],
      warnings: [],
    });
    expect(planOf({ type: "http", scheme: "bearer", "x-portico": { credential: "apiKey", binding: "PARTNERS", forwardCredentials: true } }).plan).toEqual({
      type: "bearerKey",
      binding: "PARTNERS",
      forwardCredentials: true,
    });
  });

  it("takes credential: apiKey on http basic and apiKey schemes as what they already are", () => {
    expect(planOf({ type: "http", scheme: "basic", "x-portico": { credential: "apiKey" } }).plan).toEqual(planOf({ type: "http", scheme: "basic" }).plan);
    expect(planOf({ type: "apiKey", in: "header", name: "X-Key", "x-portico": { credential: "apiKey" } }).plan).toMatchObject({
      type: "apiKey",
      name: "x-key",
    });
  });

  it("credential: introspection on http bearer and oauth2 plans the endpoint, its templates left for run time", () => {
    const introspection = { url: "${env.INTROSPECT_URL}", clientId: "gateway", clientSecret: "${env.INTROSPECT_SECRET}" };
    const { plan, errors, warnings } = planOf({
      type: "oauth2",
      flows: {},
      "x-portico": { credential: "introspection", introspection, tierClaim: "plan", audience: "museum" },
    });
    expect({ errors, warnings }).toEqual({ errors: [], warnings: [] });
    expect(plan).toEqual({
      type: "introspection",
      ...introspection,
      timeout: 3000,
      issuer: undefined,
      audience: "museum",
      consumerClaim: "sub",
      consumerPrefix: "s:",
      tierClaim: "plan",
      forwardCredentials: false,
    });
    expect(
      planOf({ type: "http", scheme: "bearer", "x-portico": { credential: "introspection", introspection: { ...introspection, timeout: 500 } } }).plan,
    ).toMatchObject({ timeout: 500 });
  });

  it("refuses credential: apiKey with JWT keys, each at its own key, with a fix in the guide", async () => {
    const { errors } = await check(`    s:
      type: http
      scheme: bearer
      x-portico: { credential: apiKey, ${jwks} }`);
    expect(errors.map((e) => e.location.pointer)).toEqual(["jwks", "issuer", "audience"].map((key) => `/components/securitySchemes/s/x-portico/${key}`));
    expect(errors[0].message).toContain(`"s" takes consumers' API keys (credential: apiKey), which never reads "jwks"`);
    expect(errors[0].location.line).toBeGreaterThan(0);
    expectGuideLink(errors[0], "the-credential-key");
  });

  it("refuses introspection without its url (or client credentials), at the introspection block", async () => {
    const bare = await check(`    s:
      type: http
      scheme: bearer
      x-portico: { credential: introspection }`);
    expect(bare.errors).toHaveLength(1);
    expect(bare.errors[0].message).toContain("names no introspection url, no clientId, no clientSecret");
    expect(bare.errors[0].location.pointer).toBe("/components/securitySchemes/s/x-portico");
    expectGuideLink(bare.errors[0], "token-introspection");
    const noUrl = await check(`    s:
      type: oauth2
      flows: {}
      x-portico: { credential: introspection, introspection: { clientId: gateway, clientSecret: "\${env.S}" } }`);
    expect(noUrl.errors.map((e) => [e.location.pointer, e.message.split("names ")[1]])).toEqual([
      ["/components/securitySchemes/s/x-portico/introspection", "no introspection url."],
    ]);
  });

  it("refuses keys introspection never reads, an introspection block without credential: introspection, and a credential the type cannot carry", async () => {
    const withJwks = await check(`    s:
      type: http
      scheme: bearer
      x-portico: { credential: introspection, ${endpoint}, jwks: "https://id.example/jwks.json", binding: PARTNERS }`);
    expect(withJwks.errors.map((e) => e.location.pointer)).toEqual(["jwks", "binding"].map((key) => `/components/securitySchemes/s/x-portico/${key}`));
    const stray = await check(`    s:
      type: http
      scheme: bearer
      x-portico: { ${jwks}, ${endpoint} }`);
    expect(stray.errors.map((e) => e.location.pointer)).toEqual(["/components/securitySchemes/s/x-portico/introspection"]);
    expect(stray.errors[0].hint).toContain("Add credential: introspection");
    for (const [scheme, credential, allowed] of [
      ["{ type: oauth2, flows: {}, x-portico: { credential: apiKey } }", "apiKey", "jwt or introspection"],
      [
        "{ type: openIdConnect, openIdConnectUrl: https://id.example/.well-known/openid-configuration, x-portico: { credential: introspection, audience: museum } }",
        "introspection",
        "jwt",
      ],
      ["{ type: http, scheme: basic, x-portico: { credential: jwt } }", "jwt", "apiKey"],
      ["{ type: apiKey, in: header, name: X-Key, x-portico: { credential: introspection } }", "introspection", "apiKey"],
    ]) {
      const { errors } = await check(`    s: ${scheme}`);
      expect(
        errors.map((e) => e.location.pointer),
        scheme,
      ).toEqual(["/components/securitySchemes/s/x-portico/credential"]);
      expect(errors[0].message).toContain(`cannot carry credential: ${credential}`);
      expect(errors[0].hint).toContain(`Use credential: ${allowed} here`);
      expectGuideLink(errors[0], "the-credential-key");
    }
  });

  it("refuses an unknown credential through the schema, and warns of a client secret written in the document", async () => {
    const unknown = await check(`    s: { type: http, scheme: bearer, x-portico: { credential: opaque } }`);
    expect(unknown.errors[0].location.pointer).toBe("/components/securitySchemes/s/x-portico/credential");
    const literal = await check(`    s:
      type: http
      scheme: bearer
      x-portico: { credential: introspection, introspection: { url: "https://id.example/introspect", clientId: gateway, clientSecret: hunter2 } }`);
    expect(literal.errors).toEqual([]);
    expect(literal.warnings.map((w) => w.location.pointer)).toContain("/components/securitySchemes/s/x-portico/introspection/clientSecret");
  });
});

describe("reserved and misplaced", () => {
  it("refuses a path under /_portico/, which the gateway keeps for its admin routes", async () => {
    const root = tempProject({
      "openapi/openapi.yaml": spec(`  /_portico/quota/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      x-portico: { handler: mock }
      responses: { "200": { description: ok } }`),
    });
    const { errors } = await compile({ root, check: true });
    expect(errors[0].message).toContain("/_portico/");
    expect(errors[0].location.pointer).toBe("/paths/~1_portico~1quota~1{id}");
  });

  it("refuses a gateway-wide quota (no consumer is known before authentication) and warns of a gateway-wide limit by consumer", async () => {
    const extra = `x-portico:
  inbound:
    - { use: quota, options: { limit: 10 } }
    - { use: rate-limit, options: { limit: 10, by: consumer } }`;
    const { errors, warnings } = await compile({ root: tempProject({ "openapi/openapi.yaml": spec(operation, extra) }), check: true });
    expect(errors.map((e) => e.location.pointer)).toEqual(["/x-portico/inbound/0"]);
    expect(warnings.map((w) => w.location.pointer)).toContain("/x-portico/inbound/1");
  });
});
