import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";

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

  it("refuses a requirement naming an undefined scheme, at its pointer", async () => {
    const { errors } = await check(`    s: { type: apiKey, in: header, name: X-Key }`, "security: [{ nope: [] }]");
    expect(errors[0].message).toContain('"nope"');
    expect(errors[0].location.pointer).toBe("/security/0/nope");
  });
});

describe("reserved and misplaced", () => {
  it("refuses a path under /_portico/, which the gateway keeps for its admin routes", async () => {
    const root = tempProject({ "openapi/openapi.yaml": spec(`  /_portico/quota/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      x-portico: { handler: mock }
      responses: { "200": { description: ok } }`) });
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
