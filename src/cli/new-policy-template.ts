/**
 * @module
 * What `portico new policy NAME` writes: a working policy and the test beside it,
 * which runs it inside workerd through `portico/testing` and passes as written.
 */

/** policies/NAME.ts: passes the caller's tier upstream in a header and marks the response. */
export function policySource(name: string): string {
  return `import { definePolicy } from "portico";

/**
 * ${name}: tells the upstream which tier the caller is on, in a request header
 * ("anonymous" without a consumer), and marks the response as having passed here.
 * Listed in openapi/openapi.yaml as
 *   inbound: [{ use: ./policies/${name}.ts, options: { header: x-consumer-tier } }]
 */
export default definePolicy({
  options: {
    type: "object",
    properties: {
      header: { type: "string", minLength: 1, description: "The request header the tier goes upstream in." },
    },
    required: ["header"],
    additionalProperties: false,
  },
  inbound(request, ctx, options) {
    const headers = new Headers(request.headers);
    headers.set(options.header, ctx.consumer?.tier ?? "anonymous");
    return new Request(request, { headers });
  },
  outbound(response) {
    // A response from fetch() has immutable headers: change a copy.
    const marked = new Response(response.body, response);
    marked.headers.set("x-policy", "${name}");
    return marked;
  },
});
`;
}

/** policies/NAME.test.ts: runs in workerd (vitest with @cloudflare/vitest-plugin); docs/testing-policies.md. */
export function policyTestSource(name: string): string {
  return `import { describe, expect, it } from "vitest";
import { fakeConsumer, runPolicy, testRequest } from "portico/testing";
import policy from "./${name}.ts";

const options = { header: "x-consumer-tier" };

describe("${name}", () => {
  it("sends the consumer's tier upstream", async () => {
    const { forwarded, response } = await runPolicy(policy, testRequest("/v1/exhibits"), {
      options,
      consumer: fakeConsumer({ id: "acme", tier: "gold" }),
    });
    expect(forwarded?.headers.get("x-consumer-tier")).toBe("gold");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-policy")).toBe("${name}");
  });

  it("says anonymous when no consumer is signed in", async () => {
    const { forwarded } = await runPolicy(policy, testRequest("/v1/exhibits"), { options });
    expect(forwarded?.headers.get("x-consumer-tier")).toBe("anonymous");
  });
});
`;
}
