/**
 * @module
 * What `portico new handler NAME` writes: a working handler and the test beside it,
 * which runs it inside workerd through `portico/testing` and passes as written.
 */

/** policies/NAME.ts: answers with a greeting for the path's `name`, refusing one too long with a problem. */
export function handlerSource(name: string): string {
  return `import { defineHandler, GatewayError, PROBLEM } from "portico";

/**
 * ${name}: answers with a greeting for the {name} in the path, and the caller's
 * consumer id when one signed in. Listed on an operation such as GET /hello/{name}
 * in openapi/openapi.yaml as
 *   x-portico: { handler: { use: ./policies/${name}.ts, options: { greeting: Hello } } }
 */
export default defineHandler({
  options: {
    type: "object",
    properties: {
      greeting: { type: "string", minLength: 1, description: "The word the answer starts with." },
    },
    required: ["greeting"],
    additionalProperties: false,
  },
  handle(_request, ctx, options) {
    const who = ctx.params.name ?? "world";
    // A thrown GatewayError becomes an RFC 9457 problem the client can read.
    if (who.length > 40) throw new GatewayError(PROBLEM.badRequest, "A name has at most 40 characters.");
    return Response.json({ message: \`\${options.greeting}, \${who}!\`, consumer: ctx.consumer?.id ?? null });
  },
});
`;
}

/** policies/NAME.test.ts: runs in workerd (vitest with @cloudflare/vitest-plugin); docs/testing-policies.md. */
export function handlerTestSource(name: string): string {
  return `import { describe, expect, it } from "vitest";
import { fakeConsumer, runHandler, testRequest } from "portico/testing";
import handler from "./${name}.ts";

const options = { greeting: "Hello" };

describe("${name}", () => {
  it("greets the name in the path, with the caller's consumer id", async () => {
    const { response } = await runHandler(handler, testRequest("/hello/ada"), {
      options,
      params: { name: "ada" },
      consumer: fakeConsumer({ id: "acme" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: "Hello, ada!", consumer: "acme" });
  });

  it("answers a name that is too long with a problem", async () => {
    const long = "a".repeat(41);
    const { response } = await runHandler(handler, testRequest(\`/hello/\${long}\`), { options, params: { name: long } });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 400, detail: "A name has at most 40 characters." });
  });
});
`;
}
