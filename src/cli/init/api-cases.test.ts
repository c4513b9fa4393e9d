/**
 * The cases `portico init` writes into test/api/api.test.ts are right: a
 * project made by init is compiled, bundled and served by workerd (as the
 * bench serves its gateway), and every case is sent to it as the written test
 * sends it, and answers the status the case expects.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveBundle, type Served } from "../../../bench/lib/gateway.ts";
import { bundleEntry } from "../../../bench/lib/workerd.ts";
import { compile } from "../../compiler/compile.ts";
import { main } from "../main.ts";
import type { ApiCases } from "./api-cases.ts";
import { API_TEST, apiTest } from "./api-test.ts";
import { tempProject } from "../../../test/support/temp-project.ts";

/** One of each thing a case is made of: parameters in every place, bodies, security, and statuses the mock picks. */
const DOCUMENT = `openapi: 3.1.0
info: { title: Cases, version: "1" }
servers: [{ url: "https://cases.example/api" }]
security: [{ bearer: [] }]
paths:
  /items/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: integer, minimum: 10 } }
    get:
      operationId: getItem
      security: [{}, { key: [] }]
      parameters:
        - { name: fields, in: query, required: true, explode: false, schema: { type: array, items: { type: string, enum: [a, b] }, minItems: 2 } }
        - { name: X-Tenant, in: header, required: true, schema: { type: string, pattern: "^t[0-9]$" } }
        - { name: visit, in: cookie, required: true, schema: { type: string, minLength: 3 } }
        - { name: verbose, in: query, schema: { type: boolean } }
      responses:
        "404": { description: none }
        "200": { description: it, content: { application/json: { example: { id: 10 } } } }
    put:
      operationId: putItem
      security: [{ key: [] }]
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [name], properties: { name: { type: string } } } } }
      responses: { "200": { description: ok } }
    delete:
      operationId: deleteItem
      responses: { "204": { description: gone } }
  /items:
    post:
      operationId: addItem
      security: []
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: { type: object, required: [name, count], properties: { name: { type: string, minLength: 2 }, count: { type: integer, minimum: 1 } } }
      responses:
        "400": { description: bad }
        "201": { description: added }
        "202": { description: later }
  /health:
    get:
      operationId: health
      security: []
      x-portico: { handler: { use: mock, options: { status: 503 } } }
      responses: { "200": { description: up }, "503": { description: down } }
  /teapot:
    get:
      operationId: teapot
      security: []
      responses: { "418": { description: short and stout }, "404": { description: none } }
  /report:
    get:
      operationId: report
      security: []
      responses: { default: { description: whatever } }
  /elsewhere:
    get:
      operationId: elsewhere
      security: []
      x-portico: { handler: { use: forward, options: { url: "http://127.0.0.1:9/x" } } }
      responses: { "200": { description: ok } }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Key }
    bearer: { type: http, scheme: bearer }
`;

/** Without a 2xx, the mock answers the first response in JavaScript's order of the keys, where "404" comes before "418". */
const EXPECTED: Record<string, number> = { getItem: 200, putItem: 401, deleteItem: 401, addItem: 201, health: 503, teapot: 404, report: 200 };

describe("the cases init writes, sent to the gateway it builds", () => {
  const root = tempProject({ "my-api.yaml": DOCUMENT, "portal/portal.config": "title: Example\n" });
  const work = mkdtempSync(join(tmpdir(), "portico-init-cases-"));
  let served: Served;
  let found: ApiCases;

  beforeAll(async () => {
    const log = console.log;
    console.log = () => {};
    try {
      expect(await main(["init", "--from", join(root, "my-api.yaml"), "--yes", "--root", root])).toBe(0);
    } finally {
      console.log = log;
    }
    const result = await compile({ root, outDir: join(work, "app") });
    expect(result.errors.map((error) => error.format())).toEqual([]);
    found = await apiTest(root, result.plan!, "openapi/openapi.yaml");
    writeFileSync(join(work, "worker.ts"), 'import gateway from "./app/app.ts";\nexport * from "./app/durable-objects.ts";\nexport default gateway;\n');
    const { dir, modules } = await bundleEntry(join(work, "worker.ts"), work, "portico-init-cases");
    served = await serveBundle({
      bundle: join(dir, modules[0]),
      via: "direct",
      durableObjects: { RATE_LIMITER: "RateLimiter", QUOTA: "QuotaCounter" },
      durableStorage: "memory",
      onLog: () => {},
    });
  }, 120_000);

  afterAll(async () => {
    await served?.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it("has one case per mocked operation, in document order, and lists the others as not covered", () => {
    expect(found.cases.map((item) => [item.operationId, item.status])).toEqual(Object.entries(EXPECTED));
    expect(found.uncovered).toEqual([{ operationId: "elsewhere", method: "GET", path: "/elsewhere", why: "answered by forward" }]);
    const written = readFileSync(join(root, API_TEST), "utf8");
    for (const item of found.cases) expect(written).toContain(`url: ${JSON.stringify(item.url)}`);
    expect(written).toContain("- elsewhere: GET /elsewhere (answered by forward)");
  });

  it("fills the base path, path, query, header and cookie parameters, and the required body", () => {
    const byId = Object.fromEntries(found.cases.map((item) => [item.operationId, item]));
    expect(byId.getItem.url).toMatch(/^\/api\/items\/\d+\?fields=[ab]%2C[ab]|^\/api\/items\/\d+\?fields=[ab],[ab]/);
    expect(byId.getItem.url).not.toContain("verbose");
    expect(Object.keys(byId.getItem.headers ?? {}).sort()).toEqual(["cookie", "x-tenant"]);
    expect(byId.putItem).toMatchObject({ needsCredentials: true, headers: { "content-type": "application/json" } });
    expect(byId.addItem.headers?.["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(typeof byId.addItem.body).toBe("string");
  });

  it("every case answers the status it expects, and WWW-Authenticate where it needs credentials", async () => {
    const answers = [];
    for (const [index, item] of found.cases.entries()) {
      const response = await fetch(new URL(item.url, served.url), {
        method: item.method,
        headers: { "cf-connecting-ip": `2001:db8:a11::${(index + 1).toString(16)}`, ...item.headers },
        body: item.body === undefined ? undefined : typeof item.body === "string" ? item.body : JSON.stringify(item.body),
      });
      const text = await response.text();
      answers.push({
        case: `${item.operationId}: ${item.method} ${item.url}`,
        status: response.status,
        challenge: Boolean(response.headers.get("www-authenticate")),
        text,
      });
    }
    const wanted = found.cases.map((item) => ({
      case: `${item.operationId}: ${item.method} ${item.url}`,
      status: item.status,
      challenge: Boolean(item.needsCredentials),
    }));
    expect(
      answers.map(({ text: _, ...answer }) => answer),
      JSON.stringify(answers, null, 2),
    ).toEqual(wanted);
  });
});
