import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { transform } from "esbuild";
import { describe, expect, it } from "vitest";
import { spec, tempProject } from "../../test/support/temp-project.ts";
import { compile } from "./compile.ts";

const SPEC = "openapi/openapi.yaml";

async function errorsOf(files: Record<string, string>) {
  const result = await compile({ root: tempProject(files), check: true });
  return result.errors;
}

/** The one error a broken project gives, as the CLI would locate it. */
async function onlyError(files: Record<string, string>) {
  const errors = await errorsOf(files);
  expect(errors.map((e) => e.message)).toHaveLength(1);
  return errors[0];
}

/** A document whose one response schema is the given $ref (line 13 of the file). */
const withSchemaRef = (ref: string) =>
  spec(`  /a:
    get:
      x-portico: { handler: mock }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "${ref}" }`);

const mockGet = (extra = "") => `      x-portico: { handler: mock${extra} }
      responses: { "200": { description: ok } }`;

describe("build errors name the file, the pointer and the fix", () => {
  it("YAML syntax error: file, line and column", async () => {
    const error = await onlyError({ [SPEC]: "openapi: 3.1.0\ninfo: { title: x, version: 1\npaths: {}\n" });
    expect(error.location.file).toBe(SPEC);
    expect(error.message).toMatch(/YAML syntax error/);
    expect(error.location.line).toBeGreaterThanOrEqual(2);
    expect(error.hint).toMatch(/Fix the YAML/);
  });

  it("YAML syntax error in a $ref'd file names that file", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:\n    $ref: "./paths/a.yaml"`),
      "openapi/paths/a.yaml": "get:\n  responses: [unclosed\n",
    });
    expect(error.location.file).toBe("openapi/paths/a.yaml");
    expect(error.message).toMatch(/YAML syntax error/);
  });

  it("unresolvable internal $ref: the pointer of the $ref", async () => {
    const error = await onlyError({
      [SPEC]: withSchemaRef("#/components/schemas/Missing"),
    });
    expect(error.message).toMatch(/Unresolvable \$ref.*Missing/);
    expect(error.location).toMatchObject({ file: SPEC, pointer: "/paths/~1a/get/responses/200/content/application~1json/schema" });
    expect(error.location.line).toBe(13);
  });

  it("unresolvable external $ref: the missing file is named", async () => {
    const error = await onlyError({
      [SPEC]: withSchemaRef("./schemas/nope.yaml"),
    });
    expect(error.message).toMatch(/Unresolvable \$ref.*nope\.yaml/);
    expect(error.location.pointer).toBe("/paths/~1a/get/responses/200/content/application~1json/schema");
  });

  it("unknown policy name: the pointer of the reference, and the closest known name", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:
    get:
      x-portico: { handler: mock, inbound: [request-id, rate-limiter] }
      responses: { "200": { description: ok } }`),
    });
    expect(error.message).toBe('Unknown policy or handler "rate-limiter".');
    expect(error.location).toMatchObject({ file: SPEC, pointer: "/paths/~1a/get/x-portico/inbound/1", line: 7 });
    expect(error.hint).toMatch(/^Did you mean "rate-limit"\? /);
  });

  it("a misspelt name gets a did-you-mean, built-in or named, instead of every name", async () => {
    const misspelt = async (name: string) =>
      (
        await onlyError({
          [SPEC]: spec(
            `  /a:
    get:
      x-portico: { handler: mock, inbound: [${name}] }
      responses: { "200": { description: ok } }`,
            "x-portico: { policies: { daily-tickets: { use: quota, options: { limit: 10, period: day } } } }",
          ),
        })
      ).hint;
    expect(await misspelt("rate-limt")).toBe(
      'Did you mean "rate-limit"? Use a built-in or named one (`portico reference` lists the built-ins), or a module path such as ./policies/rate-limt.ts.',
    );
    expect(await misspelt("daily-tikcets")).toMatch(/^Did you mean "daily-tickets"\? /);
    // Nothing close: no guess, and no list of every name either.
    const far = await misspelt("throttle");
    expect(far).toBe("Use a built-in or named one (`portico reference` lists the built-ins), or a module path such as ./policies/throttle.ts.");
  });

  it("unknown handler name", async () => {
    const error = await onlyError({ [SPEC]: spec(`  /a:\n    get:\n${mockGet().replace("mock", "mokc")}`) });
    expect(error.message).toBe('Unknown policy or handler "mokc".');
    expect(error.location.pointer).toBe("/paths/~1a/get/x-portico/handler");
  });

  it("options that break the policy's schema: the pointer of the bad option", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:
    get:
      x-portico:
        handler: { use: forward, options: { url: "https://up.example", timeout: fast } }
      responses: { "200": { description: ok } }`),
    });
    expect(error.message).toMatch(/Options of "forward": "timeout" must be integer/);
    expect(error.location.pointer).toBe("/paths/~1a/get/x-portico/handler/options/timeout");
  });

  it("an unknown option of a named policy points into x-portico.policies", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:\n    get:\n${mockGet(", inbound: [ids]")}`, `x-portico:\n  policies:\n    ids: { use: request-id, options: { headr: X-Id } }`),
    });
    expect(error.message).toBe('Options of "request-id": the value has an unknown key "headr".');
    expect(error.location.pointer).toBe("/x-portico/policies/ids/options");
  });

  it("options of a user module are checked against the module's own schema", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:\n    get:\n${mockGet(", inbound: [{ use: ./policies/tag.ts, options: { tag: 7 } }]")}`),
      "policies/tag.ts": `import { definePolicy } from "portico";
export default definePolicy({
  options: { type: "object", properties: { tag: { type: "string" } }, required: ["tag"] },
  inbound: (request) => request,
});`,
    });
    expect(error.message).toBe('Options of "./policies/tag.ts": "tag" must be string.');
    expect(error.location.pointer).toBe("/paths/~1a/get/x-portico/inbound/0/options/tag");
  });

  it("a module that does not exist", async () => {
    const error = await onlyError({ [SPEC]: spec(`  /a:\n    get:\n${mockGet(", inbound: [./policies/gone.ts]")}`) });
    expect(error.message).toMatch(/"\.\/policies\/gone\.ts" cannot be used: the file does not exist/);
  });

  it("a policy listed where it has no hook", async () => {
    const error = await onlyError({ [SPEC]: spec(`  /a:\n    get:\n${mockGet(", outbound: [ip-filter]")}`) });
    expect(error.message).toBe('The policy "ip-filter" has no outbound hook, but it is listed in outbound.');
    expect(error.location.pointer).toBe("/paths/~1a/get/x-portico/outbound/0");
  });

  it("a handler used as a policy", async () => {
    const error = await onlyError({ [SPEC]: spec(`  /a:\n    get:\n${mockGet(", inbound: [forward]")}`) });
    expect(error.message).toBe('"forward" is a handler, but this place takes a policy.');
  });

  it("an operation with no handler", async () => {
    const error = await onlyError({ [SPEC]: spec(`  /a:\n    get:\n      responses: { "200": { description: ok } }`) });
    expect(error.message).toBe("GET /a has no handler.");
    expect(error.location).toMatchObject({ file: SPEC, pointer: "/paths/~1a/get", line: 6 });
    expect(error.hint).toMatch(/x-portico: \{ handler: mock \}/);
  });

  it("duplicate operationId: the second one", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:
    get:
      operationId: same
${mockGet()}
  /b:
    get:
      operationId: same
${mockGet()}`),
    });
    expect(error.message).toBe('operationId "same" is used twice (also by GET /a).');
    expect(error.location).toMatchObject({ pointer: "/paths/~1b/get/operationId", line: 12 });
  });

  it("a path parameter in the template but not declared", async () => {
    const error = await onlyError({ [SPEC]: spec(`  /a/{id}:\n    get:\n${mockGet()}`) });
    expect(error.message).toMatch(/has \{id\}, but GET \/a\/\{id\} declares no path parameter "id"/);
    expect(error.location.pointer).toBe("/paths/~1a~1{id}/get");
  });

  it("a path parameter declared but not in the template", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
${mockGet()}`),
    });
    expect(error.message).toBe('The path parameter "id" is declared, but /a has no {id}.');
    expect(error.location).toMatchObject({ pointer: "/paths/~1a/get/parameters/0", line: 8 });
  });

  it("two templates that collide on a method", async () => {
    const param = (name: string) => `      parameters: [{ name: ${name}, in: path, required: true, schema: { type: string } }]`;
    const error = await onlyError({
      [SPEC]: spec(`  /a/{x}:\n    get:\n${param("x")}\n${mockGet()}\n  /a/{y}:\n    get:\n${param("y")}\n${mockGet()}\n    put:\n${param("y")}\n${mockGet()}`),
    });
    expect(error.message).toBe('The path "/a/{y}" collides with "/a/{x}": both match the same requests, and both declare GET.');
    expect(error.location.pointer).toBe("/paths/~1a~1{y}");
  });

  it("two templates that differ only in names, on disjoint methods: a warning, located", async () => {
    const param = (name: string) => `      parameters: [{ name: ${name}, in: path, required: true, schema: { type: string } }]`;
    const result = await compile({
      root: tempProject({ [SPEC]: spec(`  /a/{x}:\n    get:\n${param("x")}\n${mockGet()}\n  /a/{y}:\n    delete:\n${param("y")}\n${mockGet()}`) }),
      check: true,
    });
    expect(result.errors).toEqual([]);
    const warning = result.warnings.find((found) => /only in its parameters' names/.test(found.message));
    expect(warning?.message).toMatch(/^The path "\/a\/\{y\}" differs from "\/a\/\{x\}" only in its parameters' names, which OpenAPI forbids/);
    expect(warning?.location.pointer).toBe("/paths/~1a~1{y}");
  });

  it("${env.X} outside x-portico, where nothing fills it in", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:\n    get:\n${mockGet()}`, `servers:\n  - url: "\${env.API_HOST}/v1"`),
    });
    expect(error.message).toMatch(/"\$\{env\.API_HOST\}" stands outside x-portico/);
    expect(error.location.pointer).toBe("/servers/0/url");
  });

  it("${params.x} in gateway-wide x-portico, where there is no operation", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:\n    get:\n${mockGet()}`, `x-portico:\n  upstream: "https://up.example/\${params.id}"`),
    });
    expect(error.message).toMatch(/cannot be filled here: there is no operation/);
    expect(error.location.pointer).toBe("/x-portico/upstream");
  });

  it("${params.x} naming no path parameter of the operation", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:
    get:
      x-portico: { handler: { use: forward, options: { url: "https://up.example/\${params.id}" } } }
      responses: { "200": { description: ok } }`),
    });
    expect(error.message).toBe('"${params.id}" names no path parameter of this operation.');
    expect(error.location.pointer).toBe("/paths/~1a/get/x-portico/handler/options/url");
  });

  it("a malformed ${env} name", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:\n    get:\n${mockGet()}`, `x-portico:\n  upstream: "\${env.API-HOST}"`),
    });
    expect(error.message).toMatch(/does not name a Worker var/);
  });

  it("forward with neither url nor x-portico.upstream", async () => {
    const error = await onlyError({ [SPEC]: spec(`  /a:\n    get:\n${mockGet().replace("mock", "forward")}`) });
    expect(error.message).toMatch(/GET \/a: forward has no url/);
    expect(error.location.pointer).toBe("/paths/~1a/get/x-portico/handler");
  });

  it("an unknown key in x-portico", async () => {
    const error = await onlyError({ [SPEC]: spec(`  /a:\n    get:\n${mockGet(", validation: false")}`) });
    expect(error.message).toBe('x-portico of the operation: the value has an unknown key "validation".');
    expect(error.location.pointer).toBe("/paths/~1a/get/x-portico");
  });

  it("an error inside a $ref'd path item names that file and its own pointer", async () => {
    const error = await onlyError({
      [SPEC]: spec(`  /a:\n    $ref: "./paths/a.yaml"`),
      "openapi/paths/a.yaml": `get:\n  x-portico: { handler: mock, inbound: [nope] }\n  responses: { "200": { description: ok } }\n`,
    });
    expect(error.location).toMatchObject({ file: "openapi/paths/a.yaml", pointer: "/get/x-portico/inbound/0", line: 2 });
  });

  it("Swagger 2.0 is refused with a way forward", async () => {
    const error = await onlyError({ [SPEC]: 'swagger: "2.0"\ninfo: { title: x, version: "1" }\npaths: {}\n' });
    expect(error.message).toBe("Swagger 2.0 documents are not supported.");
    expect(error.location.pointer).toBe("/openapi");
  });

  it("collects every error of a document, not only the first", async () => {
    const errors = await errorsOf({
      [SPEC]: spec(`  /a:\n    get:\n      responses: { "200": { description: ok } }\n  /b/{id}:\n    get:\n${mockGet()}`),
    });
    expect(errors.map((e) => e.location.pointer)).toEqual(["/paths/~1a/get", "/paths/~1b~1{id}/get"]);
  });
});

describe("what the build writes", () => {
  const files = {
    [SPEC]: spec(
      `  /users/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
${mockGet()}
  /users/me:
    get:
${mockGet()}
  /files/{name}.{ext}:
    get:
      parameters:
        - { name: name, in: path, required: true, schema: { type: string } }
        - { name: ext, in: path, required: true, schema: { type: string } }
${mockGet()}`,
      `servers: [{ url: "https://api.example.com/{version}", variables: { version: { default: v2 } } }]
x-portico: { inbound: [request-id] }`,
    ),
  };

  it("check writes nothing", async () => {
    const root = tempProject(files);
    const result = await compile({ root, check: true });
    expect(result.errors).toEqual([]);
    expect(result.operations).toBe(3);
    expect(existsSync(join(root, ".portico"))).toBe(false);
  });

  it("build writes one route per operation, static before templated, under the base path", async () => {
    const root = tempProject(files);
    const result = await compile({ root });
    const app = readFileSync(result.appFile!, "utf8");
    const patterns = [...app.matchAll(/pattern: "([^"]+)"/g)].map((m) => m[1]);
    expect(patterns[0]).toBe("/v2/users/me");
    expect(patterns).toContain("/v2/users/:id");
    expect(patterns.indexOf("/v2/users/me")).toBeLessThan(patterns.indexOf("/v2/users/:id"));
    expect(app).toMatch(/import requestId from "\.\.\/.*src\/policies\/request-id\/index\.ts"/);
    expect(app).not.toMatch(/forward/);
  });

  it("policies named after reserved words are imported under names JavaScript allows", async () => {
    const policy = `import { definePolicy } from "portico";\nexport default definePolicy({ inbound: (request) => request });\n`;
    const root = tempProject({
      [SPEC]: spec(`  /a:\n    get:\n${mockGet(", inbound: [./policies/const.ts, ./policies/default.ts, ./policies/new.ts]")}`),
      "policies/const.ts": policy,
      "policies/default.ts": policy,
      "policies/new.ts": policy,
    });
    const result = await compile({ root });
    expect(result.errors).toEqual([]);
    const app = readFileSync(result.appFile!, "utf8");
    // esbuild parses the module as the bundler will: a reserved word as a binding is a syntax error.
    await expect(transform(app, { loader: "ts", format: "esm" })).resolves.toBeDefined();
    expect(app).toContain("const const2 = userModule(constModule);");
  });

  it("the public spec has no x-portico", async () => {
    const root = tempProject(files);
    const result = await compile({ root });
    const publicSpec = servedSpec(result.appFile!);
    expect(JSON.stringify(publicSpec)).not.toMatch(/x-portico/);
    expect(publicSpec.paths["/users/me"].get.responses).toBeDefined();
  });

  it("a dev build's app prints logged stacks readably; any other build's does not", async () => {
    const root = tempProject(files);
    expect(readFileSync((await compile({ root, serveErrors: true })).appFile!, "utf8")).toMatch(/createGateway\(\{[\s\S]*\n {2}dev: true,\n\}\);/);
    expect(readFileSync((await compile({ root })).appFile!, "utf8")).not.toContain("dev: true");
  });

  it("a dev build of a fresh project that fails writes the error app and the Durable Object classes the Worker exports", async () => {
    const root = tempProject({ [SPEC]: "openapi: [unclosed" });
    const result = await compile({ root, serveErrors: true });
    expect(result.errors).not.toEqual([]);
    expect(readFileSync(result.appFile!, "utf8")).toContain("status: 503");
    const durableObjects = readFileSync(join(root, ".portico", "durable-objects.ts"), "utf8");
    expect(durableObjects).toMatch(/export \{ RateLimiter \} from "\.\.\/.*src\/policies\/rate-limit\//);
    expect(durableObjects).toContain("export { QuotaCounter }");
  });
});

/** The document the generated app serves at /openapi.json. */
function servedSpec(appFile: string) {
  const module = readFileSync(join(dirname(appFile), "openapi.ts"), "utf8");
  return JSON.parse(JSON.parse(/export default \(\): string => (".*");/.exec(module)![1]));
}

/** The generated app and its data module (mock answers and other prepared data), as text. */
function generated(appFile: string): string {
  return readFileSync(appFile, "utf8") + readFileSync(join(dirname(appFile), "data.ts"), "utf8");
}

describe("documents the compiler must read", () => {
  it("circular $refs in schemas: compiles, and the mock's generated value is finite", async () => {
    const root = tempProject({
      [SPEC]: spec(
        `  /nodes:
    get:
      x-portico: { handler: mock }
      responses:
        "200":
          description: ok
          content: { application/json: { schema: { $ref: "#/components/schemas/Node" } } }`,
        `components:
  schemas:
    Node:
      type: object
      required: [name, children]
      properties:
        name: { type: string }
        children: { type: array, items: { $ref: "#/components/schemas/Node" } }`,
      ),
    });
    const result = await compile({ root });
    expect(result.errors.map((e) => e.format())).toEqual([]);
    expect(generated(result.appFile!)).toMatch(/\{ name: "generated", value: \{ name: "string", children: \[/);
  });

  it("OpenAPI 3.0 with nullable: compiles; /openapi.json still serves it as 3.0", async () => {
    const root = tempProject({
      [SPEC]: `openapi: 3.0.3
info: { title: Old, version: "1" }
paths:
  /a:
    get:
      x-portico: { handler: mock }
      responses:
        "200":
          description: ok
          content: { application/json: { schema: { type: string, nullable: true } } }
`,
    });
    const result = await compile({ root });
    expect(result.errors).toEqual([]);
    const served = servedSpec(result.appFile!);
    expect(served.paths["/a"].get.responses["200"].content["application/json"].schema).toEqual({ type: "string", nullable: true });
  });

  it("a 3.1 document with 3.0's nullable compiles with a warning", async () => {
    const result = await compile({
      root: tempProject({
        [SPEC]: spec(
          `  /a:\n    get:\n      x-portico: { handler: mock }\n      responses:\n        "200":\n          description: ok\n          content: { application/json: { schema: { type: string, nullable: true } } }`,
        ),
      }),
      check: true,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^1 schema\(s\) use 3\.0 keywords/)]);
  });

  it("a multi-file document with a relative $ref between files", async () => {
    const result = await compile({
      root: tempProject({
        [SPEC]: spec(`  /a:\n    $ref: "./paths/a.yaml"`),
        "openapi/paths/a.yaml": `get:\n  x-portico: { handler: mock }\n  responses:\n    "200":\n      description: ok\n      content: { application/json: { schema: { $ref: "../schemas/thing.yaml" } } }\n`,
        "openapi/schemas/thing.yaml": "type: object\nproperties: { id: { type: integer, example: 7 } }\n",
      }),
    });
    expect(result.errors).toEqual([]);
    expect(readFileSync(result.appFile!, "utf8")).toMatch(/value: \{ id: 7 \}/);
  });
});

describe("the generated route table", () => {
  /** A project of one mock operation per example, each answering it, and /small answering `{ ok: true }`. */
  async function dataOf(examples: unknown[]) {
    const operation = (path: string, example: unknown) =>
      `  ${path}:\n    get:\n      x-portico: { handler: mock }\n      responses:\n        "200":\n          description: ok\n          content: { application/json: { example: ${JSON.stringify(example)} } }`;
    const paths = [...examples.map((example, i) => operation(`/large${i}`, example)), operation("/small", { ok: true })];
    const appFile = (await compile({ root: tempProject({ [SPEC]: spec(paths.join("\n")) }) })).appFile!;
    return { app: readFileSync(appFile, "utf8"), data: readFileSync(join(dirname(appFile), "data.ts"), "utf8") };
  }
  const itemsOf = (count: number, from = 0) => Array.from({ length: count }, (_, i) => ({ id: `item-${from + i}`, name: `Item number ${from + i}` }));

  it("writes large data in a function called on first use, as JSON.parse of a string, which V8 reads faster than an object literal, and small data as literals", async () => {
    const items = itemsOf(400);
    const { app, data } = await dataOf([{ items }]);
    const parsed = [...data.matchAll(/^export function (\w+)\(\) \{\n {2}return JSON\.parse\(("(?:[^"\\]|\\.)*")\);\n\}$/gm)];
    expect(parsed).toHaveLength(1);
    expect(JSON.stringify(JSON.parse(JSON.parse(parsed[0][2])))).toContain(JSON.stringify(items));
    expect(app).toContain(`get prepared() { return data.${parsed[0][1]}(); }`);
    expect(app).toContain("value: { ok: true }");
    expect(data).not.toContain("inflateText");
  });

  it("packs large data (deflated, base64) when there is enough of it to be worth the inflater", async () => {
    const lists = [itemsOf(1500), itemsOf(1500, 1500), itemsOf(1500, 3000)];
    const { app, data } = await dataOf(lists.map((items) => ({ items })));
    const packed = [...data.matchAll(/^export function (\w+)\(\) \{\n {2}return JSON\.parse\(inflateText\("([A-Za-z0-9+/=]+)"\)\);\n\}$/gm)];
    expect(packed).toHaveLength(3);
    for (const [i, items] of lists.entries()) expect(inflateRawSync(Buffer.from(packed[i][2], "base64")).toString()).toContain(JSON.stringify(items));
    expect(app).toContain(`get prepared() { return data.${packed[0][1]}(); }`);
    expect(data).toMatch(/^import \{ inflateText \} from ".*src\/runtime\/packed-text\.ts";$/m);
  });

  it("packs a large public document, and serves a small one as a string", async () => {
    const large = Array.from(
      { length: 2000 },
      (_, i) => `  /things${i}:\n    get:\n      x-portico: { handler: mock }\n      responses: { "204": { description: "nothing, number ${i}" } }`,
    );
    const appFile = (await compile({ root: tempProject({ [SPEC]: spec(large.join("\n")) }) })).appFile!;
    const module = readFileSync(join(dirname(appFile), "openapi.ts"), "utf8");
    const base64 = /^export default packedText\("([A-Za-z0-9+/=]+)"\);$/m.exec(module)![1];
    const served = JSON.parse(inflateRawSync(Buffer.from(base64, "base64")).toString());
    expect(Object.keys(served.paths)).toHaveLength(2000);
    expect(JSON.stringify(served)).not.toMatch(/x-portico/);
  });
});

describe("path items that share a path through a fragment", () => {
  it("join one route, a method each, and the build warns of the operation no request can reach", async () => {
    const root = tempProject({
      [SPEC]: spec(
        [
          "  /things/{id}:",
          "    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]",
          "    get: { operationId: getThing, responses: { '200': { description: ok } } }",
          "    put: { operationId: updateThing, responses: { '200': { description: ok } } }",
          "  /things/{id}#archive:",
          "    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]",
          "    post: { operationId: archiveThing, responses: { '200': { description: ok } } }",
          "    put: { operationId: replaceArchivedThing, responses: { '200': { description: ok } } }",
        ].join("\n"),
        "x-portico: { handler: mock }",
      ),
    });
    const result = await compile({ root });
    expect(result.errors.map((e) => e.format())).toEqual([]);
    const app = readFileSync(result.appFile!, "utf8");
    expect([...app.matchAll(/pattern: "([^"]+)"/g)].map((m) => m[1])).toEqual(["/things/:id"]);
    expect([...app.matchAll(/operationId: "(\w+)"/g)].map((m) => m[1])).toEqual(["getThing", "updateThing", "archiveThing"]);
    const unreachable = result.warnings.filter((w) => w.message.includes("never reached"));
    expect(unreachable.map((w) => [w.location.pointer, w.message])).toEqual([["/paths/~1things~1{id}#archive/put", expect.stringContaining("updateThing")]]);
  });
});
