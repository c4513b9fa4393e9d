/**
 * `portico init --upstream <url>`: the document's root handler is a forward to the
 * real service instead of the mock, and the test of the API covers what still
 * answers without that service.
 */
import { describe, expect, it } from "vitest";
import { exampleProject, portico, read } from "../../../test/support/init-cli.ts";
import { tempProject } from "../../../test/support/temp-project.ts";

const TWO_OPERATIONS = `openapi: 3.1.0
info: { title: Orders, version: 1.0.0 }
paths:
  /orders:
    get:
      operationId: listOrders
      responses: { "200": { description: The orders. } }
  /health:
    get:
      operationId: health
      x-portico: { handler: mock }
      responses:
        "200":
          description: Up.
          content: { application/json: { example: { ok: true } } }
`;

describe("portico init --upstream", () => {
  it("writes handler: forward and the upstream at the root, and tests only the operations that still answer without it", async () => {
    const root = exampleProject();
    const source = tempProject({ "orders.yaml": TWO_OPERATIONS });
    const run = await portico(["init", "--from", `${source}/orders.yaml`, "--upstream", "https://orders.example.com/api", "--yes"], root);
    expect(run.code, run.stderr).toBe(0);
    const document = read(root, "openapi/openapi.yaml");
    expect(document).toContain('x-portico:\n  handler: forward\n  upstream: "https://orders.example.com/api"\n\npaths:\n');
    expect(document).not.toContain("handler: mock\n\npaths");
    expect(document).not.toContain("To reach the real service");
    expect(run.stdout).toContain("with x-portico: { handler: forward, upstream: https://orders.example.com/api }");
    expect(run.stdout).not.toContain("set handler: forward and upstream");
    const test = read(root, "test/api/api.test.ts");
    expect(test).toContain('{ operationId: "health", method: "GET", url: "/health", status: 200 }');
    expect(test).not.toContain('operationId: "listOrders", method');
    expect(test).toMatch(/listOrders.*answered by forward/);
    expect((await portico(["check"], root)).code).toBe(0);
  });

  it("in a JSON document and with --empty alike", async () => {
    const root = exampleProject();
    const source = tempProject({
      "api.json": JSON.stringify({
        openapi: "3.1.0",
        info: { title: "J", version: "1" },
        paths: { "/a": { get: { responses: { "204": { description: "ok" } } } } },
      }),
    });
    expect((await portico(["init", "--from", `${source}/api.json`, "--upstream", "http://127.0.0.1:9/v2", "--yes"], root)).code).toBe(0);
    expect(JSON.parse(read(root, "openapi/openapi.json"))["x-portico"]).toEqual({ handler: "forward", upstream: "http://127.0.0.1:9/v2" });

    const empty = exampleProject();
    expect((await portico(["init", "--empty", "--upstream", "https://hello.example", "--yes"], empty)).code).toBe(0);
    expect(read(empty, "openapi/openapi.yaml")).toContain('x-portico:\n  handler: forward\n  upstream: "https://hello.example"\n');
    expect((await portico(["check"], empty)).code).toBe(0);
  });

  it("keeps a root handler or upstream the document names, and says --upstream was not written", async () => {
    const root = exampleProject();
    const own = TWO_OPERATIONS.replace("paths:", "x-portico:\n  upstream: https://own.example\npaths:");
    const source = tempProject({ "orders.yaml": own });
    const run = await portico(["init", "--from", `${source}/orders.yaml`, "--upstream", "https://orders.example.com", "--yes"], root);
    expect(run.code).toBe(0);
    expect(read(root, "openapi/openapi.yaml")).toBe(own);
    expect(run.stdout).toContain("--upstream https://orders.example.com was not written");
  });

  it("refuses what is not an http(s) URL, and --upstream with --tests, changing nothing", async () => {
    const root = exampleProject();
    const before = read(root, "openapi/openapi.yaml");
    const notUrl = await portico(["init", "--empty", "--upstream", "orders.example.com", "--yes"], root);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain("--upstream takes the real service's http(s) base URL");
    expect((await portico(["init", "--tests", "--upstream", "https://orders.example.com"], root)).code).toBe(2);
    expect(read(root, "openapi/openapi.yaml")).toBe(before);
  });
});
