import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";

const document = spec(
  `  /things:
    get:
      security: [{ key: [] }]
      x-portico:
        handler: mock
        inbound: [{ use: rate-limit, options: { limit: 5, binding: RATE_LIMITTER } }, { use: quota, options: { limit: 9 } }]
      responses: { "200": { description: ok } }`,
  `components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Key, x-portico: { binding: CONSUMER } }`,
);

const wrangler = `name = "t"
main = "src/worker.ts"
[[kv_namespaces]]
binding = "CONSUMERS"
[[durable_objects.bindings]]
name = "RATE_LIMITER"
class_name = "RateLimiter"
[[durable_objects.bindings]]
name = "QUOTA"
class_name = "QuotaCounter"
`;

describe("bindings the policies use, against wrangler.toml", () => {
  it("warns of a misspelt Durable Object or KV binding, at the policy and the scheme", async () => {
    const { errors, warnings } = await compile({ root: tempProject({ "openapi/openapi.yaml": document, "wrangler.toml": wrangler }), check: true });
    expect(errors).toEqual([]);
    const found = warnings.map((w) => [w.location.pointer, w.message]);
    expect(found).toContainEqual(["/paths/~1things/get/x-portico/inbound/0", expect.stringContaining("RATE_LIMITTER, which wrangler.toml does not declare")]);
    expect(found).toContainEqual(["/components/securitySchemes/key", expect.stringContaining("KV binding CONSUMER, which wrangler.toml does not declare")]);
    expect(found.some(([, message]) => message.includes("QUOTA"))).toBe(false);
  });

  it("checks nothing where there is no wrangler.toml", async () => {
    const { warnings } = await compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
    expect(warnings.filter((w) => w.message.includes("wrangler.toml"))).toEqual([]);
  });
});
