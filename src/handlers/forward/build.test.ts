import { describe, expect, it } from "vitest";
import { runBuildContract } from "../../compiler/builtin.case.ts";
import { compile } from "../../compiler/compile.ts";
import { spec, tempProject } from "../../../test/support/temp-project.ts";

runBuildContract("forward", {
  valid: { url: "https://upstream.example.com/things" },
  invalid: [
    { url: "" },
    { url: "https://upstream.example.com", timeout: 0 },
    { url: "https://upstream.example.com", timeout: 300001 },
    { url: "https://upstream.example.com", retries: 2 },
    { url: "/things" },
    { url: "javascript:alert(1)" },
    { url: "file:///etc/passwd" },
  ],
});

/** GET /things/{id} forwarded with this url (line 11 of the document), and the build's findings. */
async function withUrl(url: string, root = "") {
  const document = spec(
    `  /things/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      x-portico:
        handler:
          use: forward
          options: { url: ${JSON.stringify(url)} }
      responses: { "200": { description: ok } }`,
    root,
  );
  return compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
}

const URL_POINTER = "/paths/~1things~1{id}/get/x-portico/handler/options/url";

describe("forward's url must be one the gateway can send requests to", () => {
  it.each([
    ["/v1/things/${params.id}", /is relative/],
    ["not a url", /has no scheme/],
    ["javascript:alert(1)", /uses the scheme "javascript:"/],
    ["file:///etc/passwd", /uses the scheme "file:"/],
    ["ftp://files.example.com/${params.id}", /uses the scheme "ftp:"/],
    ["https:/upstream.example.com", /has no host/],
    ["${params.id}/things", /begins with a path parameter/],
    ["https://${params.id}/v1", /takes its host from a path parameter/],
    ["https://api.example.com${params.id}/v1", /takes its host from a path parameter/],
    ["https://api.example.com:${params.id}/v1", /takes its host from a path parameter/],
  ])("refuses %s at the url, on its line", async (url, reason) => {
    const { errors } = await withUrl(url);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(reason)]);
    expect(errors[0].location).toMatchObject({ pointer: URL_POINTER, line: 11 });
    expect(errors[0].hint).toContain("docs/policies.md#forward");
  });

  it("says what was meant when the scheme is misspelt or missing", async () => {
    expect((await withUrl("htps://upstream.example.com")).errors[0].hint).toMatch(/^Did you mean "https"\?/);
    expect((await withUrl("localhost:8080/things")).errors[0].hint).toMatch(/^Did you mean "http:\/\/localhost:8080\/things"\?/);
    expect((await withUrl("upstream.example.com/${params.id}")).errors[0].hint).toMatch(/^Did you mean "https:\/\/upstream\.example\.com\/\$\{params\.id\}"\?/);
  });

  it("refuses a template that is never closed, which would be sent as written", async () => {
    const { errors } = await withUrl("https://upstream.example.com/${params.id");
    expect(errors.map((e) => e.message)).toEqual(['"${params.id" is never closed, so it would be sent as written.']);
    expect(errors[0].location).toMatchObject({ pointer: URL_POINTER, line: 11 });
  });

  it("leaves to run time what a Worker var brings: a whole URL, or its host", async () => {
    for (const url of ["${env.UPSTREAM_URL}", "${env.UPSTREAM_URL}/v1/things/${params.id}", "https://${env.HOST}:${env.PORT}/things/${params.id}"]) {
      expect((await withUrl(url)).errors, url).toEqual([]);
    }
  });

  it("refuses the document's upstream once, at the upstream, however many operations it would serve", async () => {
    const document = spec(
      `  /a:
    get: { responses: { "200": { description: ok } } }
  /b:
    get: { responses: { "200": { description: ok } } }`,
      "x-portico: { upstream: upstream.example.com, handler: forward }",
    );
    const { errors } = await compile({ root: tempProject({ "openapi/openapi.yaml": document }), check: true });
    expect(errors.map((e) => e.message)).toEqual([
      'x-portico.upstream "upstream.example.com", where "forward" sends requests, has no scheme: the gateway needs an absolute URL.',
    ]);
    expect(errors[0].location).toMatchObject({ pointer: "/x-portico/upstream", line: 3 });
  });
});

/** An operation sending to upstream group "orders", defined as `group` (YAML lines under `orders:`, from line 6), and the build's findings. */
async function withGroup(group: string, options = "{ upstream: orders }", operation = "get:\n      parameters: []", files: Record<string, string> = {}) {
  const document = spec(
    `  /orders/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    ${operation}
      requestBody: { content: { "*/*": {} } }
      x-portico: { handler: { use: forward, options: ${options} } }
      responses: { "200": { description: ok } }`,
    `x-portico:\n  upstreams:\n    orders:\n${group.replace(/^/gm, "      ")}`,
  );
  return compile({ root: tempProject({ "openapi/openapi.yaml": document, ...files }), check: true });
}

const GROUP = "/x-portico/upstreams/orders";

describe("forward's upstream groups at build", () => {
  it("builds a group with weights, a canary, stickiness, retries, a breaker and a service target", async () => {
    const { errors, warnings } = await withGroup(`targets:
  - { url: "https://a.example/v1", weight: 90 }
  - { url: "\${env.ORDERS_B}", weight: 10 }
  - { service: ORDERS_WORKER, weight: 0 }
canary: { header: X-Canary, cookie: canary, target: 2 }
sticky: consumer
retries: { attempts: 2, on: [502, 503, 504, network], backoff: { base: 50, max: 1000 } }
circuitBreaker: { failures: 5, window: 30, cooldown: 15 }
maxResponseBytes: 52428800`);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each([
    [
      "weights that add up to 0",
      "targets:\n  - { url: https://a.example, weight: 0 }\n  - { url: https://b.example, weight: 0 }",
      /add up to 0/,
      `${GROUP}/targets`,
      6,
    ],
    [
      "a canary out of range",
      "targets: [{ url: https://a.example }]\ncanary: { header: X-Canary, target: 1 }",
      /is target 1, but the group has 1 target \(counted from 0\)/,
      `${GROUP}/canary/target`,
      7,
    ],
    [
      "a canary no request can ask for",
      "targets: [{ url: https://a.example }]\ncanary: { target: 0 }",
      /has neither a header nor a cookie/,
      `${GROUP}/canary`,
      7,
    ],
    ["a target with a url and a service", "targets:\n  - { url: https://a.example, service: ORDERS }", /has both a url and a service/, `${GROUP}/targets/0`, 7],
    ["a target with neither", "targets:\n  - { weight: 1 }", /has neither a url nor a service/, `${GROUP}/targets/0`, 7],
    [
      "a service binding name that is no identifier",
      "targets:\n  - { service: orders-worker }",
      /"orders-worker", which is not a binding name/,
      `${GROUP}/targets/0/service`,
      7,
    ],
    ["a relative url", "targets:\n  - { url: /v1 }", /The url "\/v1" of upstream group "orders" is relative/, `${GROUP}/targets/0/url`, 7],
  ])("refuses %s, at the group, with a hint", async (_, group, message, pointer, line) => {
    const { errors } = await withGroup(group);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(message)]);
    expect(errors[0].location).toMatchObject({ pointer, line });
    expect(errors[0].hint).toContain("docs/policies.md#upstream-groups");
  });

  it("refuses a group nobody defined, with a did-you-mean, at forward's upstream option", async () => {
    const { errors } = await withGroup("targets: [{ url: https://a.example }]", "{ upstream: order }");
    expect(errors.map((e) => e.message)).toEqual(['forward sends to the upstream group "order", which x-portico.upstreams does not define.']);
    expect(errors[0].location.pointer).toBe("/paths/~1orders~1{id}/get/x-portico/handler/options/upstream");
    expect(errors[0].hint).toMatch(/^Did you mean "orders"\? The groups are: orders\./);
  });

  it("refuses a url beside an upstream group", async () => {
    const { errors } = await withGroup("targets: [{ url: https://a.example }]", "{ upstream: orders, url: https://a.example/x }");
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/has both a url \("https:\/\/a.example\/x"\) and an upstream group \("orders"\)/)]);
    expect(errors[0].location.pointer).toBe("/paths/~1orders~1{id}/get/x-portico/handler/options/url");
  });

  it("refuses a path parameter in a group's url: a group has no operation of its own", async () => {
    const { errors } = await withGroup('targets: [{ url: "https://a.example/${params.id}" }]');
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/cannot be filled here: there is no operation/)]);
    expect(errors[0].location.pointer).toBe(`${GROUP}/targets/0/url`);
  });

  it("refuses unknown keys and a sticky mode it does not know", async () => {
    const { errors } = await withGroup("targets: [{ url: https://a.example }]\nsticky: ip\nretry: { attempts: 1 }");
    expect(errors.map((e) => e.message).sort()).toEqual([
      expect.stringContaining('has an unknown key "retry"'),
      expect.stringContaining('must be one of ["consumer","cookie"]'),
    ]);
  });

  it("warns, without failing, when retries would never apply to a non-idempotent operation", async () => {
    const group = "targets: [{ url: https://a.example }]\nretries: { attempts: 2 }";
    const post = await withGroup(group, undefined, "post:\n      parameters: []");
    expect(post.errors).toEqual([]);
    expect(post.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^POST \/orders\/\{id\} is sent to upstream group "orders" once, never retried/),
    ]);
    expect(post.warnings[0].hint).toContain("Idempotency-Key");
    const keyed = await withGroup(group, undefined, "post:\n      parameters: [{ name: Idempotency-Key, in: header, schema: { type: string } }]");
    expect(keyed.warnings).toEqual([]);
    expect((await withGroup(group, undefined, "put:\n      parameters: []")).warnings).toEqual([]);
    expect((await withGroup("targets: [{ url: https://a.example }]", undefined, "post:\n      parameters: []")).warnings).toEqual([]);
  });
});

describe("forward's shared circuit breaker at build", () => {
  const wrangler = (binding: string) => ({
    "wrangler.toml": `name = "t"\n[[durable_objects.bindings]]\nname = "${binding}"\nclass_name = "CircuitBreakers"\n`,
  });
  const withBreaker = (breaker: string, binding = "CIRCUIT_BREAKER") =>
    withGroup(`targets: [{ url: https://a.example }]\ncircuitBreaker: ${breaker}`, undefined, undefined, wrangler(binding));

  it("warns, at the operation's handler, when wrangler.toml does not bind the shared breaker's namespace", async () => {
    const { errors, warnings } = await withBreaker("{ failures: 5, shared: true }", "BREAKERS");
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      'The forward handler "forward" uses the Durable Object binding CIRCUIT_BREAKER, which wrangler.toml does not declare: its circuit breakers will not be shared: each isolate counts on its own.',
    ]);
    expect(warnings[0].location.pointer).toBe("/paths/~1orders~1{id}/get/x-portico/handler");
    expect(warnings[0].hint).toContain('name = "CIRCUIT_BREAKER"\nclass_name = "CircuitBreakers"');
  });

  it("asks for no binding when the breaker is kept per isolate, and for the one named by `binding`", async () => {
    expect((await withBreaker("{ failures: 5 }", "BREAKERS")).warnings).toEqual([]);
    expect((await withBreaker("{ shared: true, binding: BREAKERS }", "BREAKERS")).warnings).toEqual([]);
    expect((await withBreaker("{ shared: true, binding: breakers-1 }", "BREAKERS")).errors.map((e) => e.message)).toEqual([
      expect.stringContaining("must match pattern"),
    ]);
  });
});

describe("forward's websocket option", () => {
  const operation = (method: string) =>
    spec(`  /live:
    ${method}:
      x-portico: { handler: { use: forward, options: { url: "https://upstream.example.com/socket", websocket: true } } }
      responses: { "101": { description: switching } }`);

  it("keeps Upgrade for the GET operation that takes handshakes, and for no other", async () => {
    const result = await compile({ root: tempProject({ "openapi/openapi.yaml": operation("get") }), check: true });
    expect(result.errors).toEqual([]);
  });

  it("refuses another method, located at the option", async () => {
    const { errors } = await compile({ root: tempProject({ "openapi/openapi.yaml": operation("post") }), check: true });
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/websocket: true is for GET operations .* this one is POST/);
    expect(errors[0].location.pointer).toBe("/paths/~1live/post/x-portico/handler/options/websocket");
    expect(errors[0].hint).toMatch(/docs\/policies\.md#forward/);
  });
});
