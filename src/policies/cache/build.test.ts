import { describe, expect, it } from "vitest";
import { runBuildContract } from "../../compiler/builtin.case.ts";
import { compile } from "../../compiler/compile.ts";
import { spec, tempProject } from "../../../test/support/temp-project.ts";
import descriptor from "./build.ts";
import type { CacheOptions } from "./options.ts";

const SPEC = "openapi/openapi.yaml";

runBuildContract("cache", {
  valid: {},
  invalid: [
    { ttl: 0 },
    { ttl: 1.5 },
    { by: "everyone" },
    { vary: ["Accept Language"] },
    { vary: ["Accept-Language", "Accept-Language"] },
    { statuses: [] },
    { statuses: [206] },
    { statuses: [304] },
    { statuses: [99] },
    { purge: true },
    { staleWhileRevalidate: 0 },
    { staleWhileRevalidate: "30s" },
    { tags: ["two words"] },
    { tags: ["catalogue", "catalogue"] },
    { tags: "catalogue" },
    { binding: "cache-purge" },
  ],
});

async function errorsOf(document: string) {
  const result = await compile({ root: tempProject({ [SPEC]: document }), check: true });
  return result.errors;
}

/** What the build prepares for cache on GET /things/{id} of this document. */
function prepareOn(document: Record<string, any>, options: Partial<CacheOptions> = {}, method = "get") {
  const path = "/things/{id}";
  const operation = document.paths[path][method];
  const use = {
    name: "cache",
    options: { vary: [], statuses: [200], tags: [], binding: "CACHE_PURGE", ...options },
    where: "/x-portico/policies/cached",
    pointer: "/paths/~1things~1{id}/get/x-portico/inbound/0",
    gatewayWide: false,
  };
  const deref = (value: any) =>
    value?.$ref
      ? value.$ref
          .slice(2)
          .split("/")
          .reduce((node: any, part: string) => node[part], document)
      : value;
  const tools = {
    projectModule: () => undefined,
    operation: {
      operation,
      document,
      deref,
      path,
      method,
      pointer: `/paths/~1things~1{id}/${method}`,
      follow: (node: unknown, pointer: string) => ({ node, pointer }),
      responseValidatorAt: () => undefined,
    },
  };
  return descriptor.prepare!(use, tools).prepared!;
}

const documentWith = (operation: Record<string, unknown>, root: Record<string, unknown> = {}) => ({
  openapi: "3.1.0",
  ...root,
  components: {
    securitySchemes: { key: { type: "apiKey", in: "header", name: "X-API-Key" } },
    parameters: { page: { name: "page", in: "query", schema: { type: "integer" } } },
  },
  paths: {
    "/things/{id}": { parameters: [{ name: "lang", in: "query", schema: { type: "string" } }], get: { responses: {}, ...operation }, post: { responses: {} } },
  },
});

describe("cache: where it may be listed", () => {
  it("refuses the gateway-wide inbound, located at the listing", async () => {
    const errors = await errorsOf(
      spec(
        `  /things:
    get:
      x-portico: { handler: mock }
      responses: { "200": { description: ok } }`,
        "x-portico: { inbound: [request-id, cache] }",
      ),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/cache cannot be gateway-wide/);
    expect(errors[0].location).toMatchObject({ file: SPEC, pointer: "/x-portico/inbound/1" });
    expect(errors[0].hint).toMatch(/inbound of each GET operation/);
  });

  it("refuses an operation that is not a GET, located at the listing, saying what to do", async () => {
    const errors = await errorsOf(
      spec(`  /things:
    post:
      x-portico: { handler: mock, inbound: [cache] }
      responses: { "200": { description: ok } }`),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^POST \/things: cache stores GET answers only .*Take cache out of its lists\.$/);
    expect(errors[0].location).toMatchObject({ file: SPEC, pointer: "/paths/~1things/post/x-portico/inbound/0" });
  });

  it("builds on a GET operation, named or inline, with its options checked", async () => {
    const ok = `  /things:
    get:
      x-portico: { handler: mock, inbound: [cached, { use: cache, options: { ttl: 5, vary: [Accept-Language] } }] }
      responses: { "200": { description: ok } }`;
    const named = "x-portico: { policies: { cached: { use: cache, options: { by: shared } } } }";
    expect(await errorsOf(spec(ok, named))).toEqual([]);
    const bad = await errorsOf(spec(ok.replace("ttl: 5", "ttl: 0, statuses: [206]"), named));
    expect(bad.map((error) => error.location.pointer)).toEqual([
      "/paths/~1things/get/x-portico/inbound/1/options/ttl",
      "/paths/~1things/get/x-portico/inbound/1/options/statuses/0",
    ]);
  });
});

describe("cache: what the build works out", () => {
  it("caches per consumer on an operation with security, its own or the document's", () => {
    expect(prepareOn(documentWith({ security: [{ key: [] }] }))).toMatchObject({ by: "consumer", anonymous: false });
    expect(prepareOn(documentWith({}, { security: [{ key: [] }] }))).toMatchObject({ by: "consumer", anonymous: false });
  });

  it("shares entries on a public operation", () => {
    expect(prepareOn(documentWith({}))).toMatchObject({ by: "shared", anonymous: true });
    expect(prepareOn(documentWith({ security: [] }, { security: [{ key: [] }] }))).toMatchObject({ by: "shared", anonymous: true });
    expect(prepareOn(documentWith({ security: [{}] }))).toMatchObject({ by: "shared", anonymous: true });
  });

  it("keeps anonymous callers apart on an operation that takes them beside consumers", () => {
    expect(prepareOn(documentWith({ security: [{}, { key: [] }] }))).toMatchObject({ by: "consumer", anonymous: true });
  });

  it("shares a secured operation's entries only when by: shared is written", () => {
    expect(prepareOn(documentWith({ security: [{ key: [] }] }), { by: "shared" })).toMatchObject({ by: "shared" });
    expect(prepareOn(documentWith({}), { by: "consumer" })).toMatchObject({ by: "consumer", anonymous: true });
  });

  it("names the instance by where it is defined", () => {
    expect(prepareOn(documentWith({}))).toMatchObject({ instance: "/x-portico/policies/cached" });
  });

  it("lists the declared query, header and cookie parameters, the path's and $refs included", () => {
    const prepared = prepareOn(
      documentWith({
        parameters: [
          { $ref: "#/components/parameters/page" },
          { name: "filter", in: "query", style: "deepObject", schema: { type: "object" } },
          { name: "point", in: "query", schema: { type: "object", properties: { x: {}, y: {} }, additionalProperties: false } },
          { name: "X-Tenant", in: "header", schema: { type: "string" } },
          { name: "Accept", in: "header", schema: { type: "string" } },
          { name: "theme", in: "cookie", schema: { type: "string" } },
        ],
      }),
    );
    expect(prepared).toMatchObject({
      query: { names: ["filter", "lang", "page", "point", "x", "y"], prefixes: ["filter["], all: false },
      headers: ["x-tenant"],
      cookies: ["theme"],
    });
  });

  it("keys every query parameter when a declared object takes free-form keys", () => {
    const prepared = prepareOn(
      documentWith({ parameters: [{ name: "tags", in: "query", schema: { type: "object", additionalProperties: { type: "string" } } }] }),
    );
    expect(prepared.query.all).toBe(true);
  });

  it("names the route a purge goes by: the operationId, else the method and path", () => {
    expect(prepareOn(documentWith({ operationId: "getThing" }))).toMatchObject({ route: "getThing" });
    expect(prepareOn(documentWith({}))).toMatchObject({ route: "GET /things/{id}" });
  });

  it("tells the portal how long answers are cached, and whose they are", async () => {
    const document = spec(
      `  /things:
    get:
      operationId: listThings
      x-portico: { handler: mock, inbound: [cached] }
      responses: { "200": { description: ok } }
  /mine:
    get:
      operationId: listMine
      security: [{ key: [] }]
      x-portico: { handler: mock, inbound: [cache] }
      responses: { "200": { description: ok } }`,
      [
        "x-portico: { policies: { cached: { use: cache, options: { ttl: 300, staleWhileRevalidate: 30, tags: [things] } } } }",
        "components: { securitySchemes: { key: { type: apiKey, in: header, name: X-API-Key } } }",
      ].join("\n"),
    );
    const result = await compile({ root: tempProject({ [SPEC]: document }), check: true });
    const limits = Object.fromEntries(result.portal!.operations.map((op) => [op.operationId, op.limits]));
    expect(limits.listThings).toEqual([{ kind: "cache", name: "cached", by: "shared", ttl: 300, staleWhileRevalidate: 30 }]);
    expect(limits.listMine).toEqual([{ kind: "cache", name: "cache", by: "consumer" }]);
  });

  it("refuses to prepare for a method other than GET", () => {
    expect(() => prepareOn(documentWith({}), {}, "post")).toThrow(/GET answers only.*POST/);
  });
});
