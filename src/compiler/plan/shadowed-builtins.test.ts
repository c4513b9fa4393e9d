import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import { compile } from "../compile.ts";

async function check(policies: string) {
  const document = spec(
    `  /a:
    get: { x-portico: { handler: mock, inbound: [cors, rate-limit] }, responses: { "200": { description: ok } } }`,
    `x-portico:
  policies:
${policies}`,
  );
  const module = `import { definePolicy } from "portico";
export default definePolicy({ inbound: (request) => request });`;
  return compile({ root: tempProject({ "openapi/openapi.yaml": document, "policies/my-cors.ts": module }), check: true });
}

describe("named policies with a built-in's name", () => {
  it("warns at the named policy: a module under a built-in's name runs wherever that name is listed", async () => {
    const { errors, warnings } = await check(`    cors: { use: ./policies/my-cors.ts }
    rate-limit: { use: rate-limit, options: { limit: 5 } }
    per-minute: { use: rate-limit, options: { limit: 5 } }`);
    expect(errors).toEqual([]);
    expect(warnings.map((w) => [w.location.pointer, w.location.line, w.message])).toEqual([
      [
        "/x-portico/policies/cors",
        5,
        'The named policy "cors" has the name of a built-in: wherever "cors" is listed, "./policies/my-cors.ts" runs instead of the built-in.',
      ],
      [
        "/x-portico/policies/rate-limit",
        6,
        'The named policy "rate-limit" has the name of a built-in: wherever "rate-limit" is listed, this one instance runs, shared by every listing, where the bare name would be an instance of its own each time.',
      ],
    ]);
    expect(warnings[0].hint).toBe('Rename it (such as "my-cors") and list it by that name; see docs/x-portico.md#policy-and-handler-references.');
  });
});
