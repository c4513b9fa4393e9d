import { describe, expect, it } from "vitest";
import { runBuildContract } from "../../compiler/builtin.case.ts";
import { compile } from "../../compiler/compile.ts";
import { spec, tempProject } from "../../../test/support/temp-project.ts";

runBuildContract("cors", {
  valid: { origins: ["https://app.example.com"] },
  invalid: [
    {},
    { origins: [] },
    { origins: ["https://app.example.com/path"] },
    { origins: ["*"], credentials: true },
    { origins: ["https://app.example.com"], maxAge: -1 },
    { origins: ["https://app.example.com"], unknown: true },
  ],
});

/** Two operations listing one named cors instance with these options (its origins on line 5). */
async function corsWith(options: string) {
  const document = spec(
    `  /a:
    get: { x-portico: { handler: mock, inbound: [browsers] }, responses: { "200": { description: ok } } }
  /b:
    get: { x-portico: { handler: mock, inbound: [browsers] }, responses: { "200": { description: ok } } }`,
    `x-portico:
  policies:
    browsers:
      use: cors
      options:
${options}`,
  );
  return compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
}

describe("origins that take more than one site", () => {
  it("warns, once and at the origin, when a wildcard over a top-level domain meets credentials", async () => {
    const { errors, warnings } = await corsWith(`        origins: ["https://app.example.com", "https://*.test"]\n        credentials: true`);
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      'The CORS origin "https://*.test" takes every site under .test, and credentials: true lets each of them call the API as the signed-in user.',
    ]);
    expect(warnings[0].location).toMatchObject({ pointer: "/x-portico/policies/browsers/options/origins/1", line: 8 });
    expect(warnings[0].hint).toContain("docs/policies.md#cors");
  });

  it("takes a wildcard under a domain, and any wildcard without credentials, without a word", async () => {
    expect((await corsWith(`        origins: ["https://*.example.com"]\n        credentials: true`)).warnings).toEqual([]);
    expect((await corsWith(`        origins: ["https://*.test", "*"]`)).warnings).toEqual([]);
  });

  it('refuses "*" with credentials, once and at the origin', async () => {
    const { errors } = await corsWith(`        origins: ["https://app.example.com", "*"]\n        credentials: true`);
    expect(errors.map((e) => e.message)).toEqual([
      '"cors" cannot take the origin "*" with credentials: true: every site could call the API as the signed-in user.',
    ]);
    expect(errors[0].location).toMatchObject({ pointer: "/x-portico/policies/browsers/options/origins/1", line: 8 });
  });
});
