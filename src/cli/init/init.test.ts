/**
 * `portico init`, spawned as a user runs it, on throwaway copies of the
 * example project: each way of naming the document, the refusals, and what
 * survives. That the written test's cases are right is shown by serving them
 * (api-cases.test.ts).
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE } from "../../../test/support/example-project.ts";
import { exampleProject, EXAMPLE_FILES, portico, read } from "../../../test/support/init-cli.ts";
import { spec, tempProject } from "../../../test/support/temp-project.ts";

const ONE_OPERATION = `openapi: 3.1.0
info:
  title: Greetings
  version: 1.0.0
  description: Says hello.
# Where it runs.
servers: [{ url: https://greetings.example/v3 }]
paths:
  /hello:
    get:
      operationId: hello
      responses:
        "200":
          description: A greeting.
          content:
            application/json:
              example: { message: hi }
`;

describe("portico init", () => {
  it("--from a YAML file: puts it in openapi/ with the mock handler, its comments kept, and removes only the example's files", async () => {
    const root = exampleProject({ "policies/mine.ts": "export {};\n", "openapi/notes.md": "mine\n", "policies/cache-control.test.ts": "// its test\n" });
    const source = tempProject({ "greetings.yml": ONE_OPERATION });
    const { code, stdout } = await portico(["init", "--from", join(source, "greetings.yml"), "--yes"], root);
    expect(code).toBe(0);
    expect(stdout).toContain("replaced the example: 1 operation(s) checked");
    expect(stdout).toMatch(/removed\s+policies\/cache-control\.ts/);
    expect(stdout).toContain("npm run dev    serves it on http://localhost:8787/v3");
    const document = read(root, "openapi/openapi.yaml");
    expect(document.startsWith(ONE_OPERATION.slice(0, ONE_OPERATION.indexOf("paths:")))).toBe(true);
    expect(document).toContain("# To reach the real service, write handler: forward and upstream: <its base URL>,\n");
    expect(document).toContain("x-portico:\n  handler: mock\n\npaths:\n");
    expect(document.endsWith(ONE_OPERATION.slice(ONE_OPERATION.indexOf("paths:")))).toBe(true);
    for (const gone of ["openapi/schemas/exhibit.yaml", "policies/cache-control.ts", "policies/cache-control.test.ts", "policies/ticket-code.ts"])
      expect(existsSync(join(root, gone))).toBe(false);
    expect(read(root, "policies/mine.ts")).toBe("export {};\n");
    expect(read(root, "openapi/notes.md")).toBe("mine\n");
    expect(existsSync(join(root, "policies/README.md"))).toBe(false);
    expect(read(root, "portal/portal.config")).toMatch(/^# The developer portal \(every key optional\)/);
    expect(read(root, "portal/portal.config")).toContain("title: Greetings\n");
    expect(read(root, "portal/pages/getting-started.md")).toContain("# Getting started with Greetings\n\nSays hello.\n");
    expect(read(root, "test/api/api.test.ts")).toContain('{ operationId: "hello", method: "GET", url: "/v3/hello", status: 200 }');
    expect((await portico(["check"], root)).code).toBe(0);
  });

  it("--from a JSON file: openapi/openapi.json in two-space JSON, the example's openapi.yaml gone", async () => {
    const root = exampleProject();
    const document = {
      openapi: "3.1.0",
      info: { title: "Json", version: "1" },
      paths: { "/ping": { get: { responses: { "204": { description: "pong" } } } } },
    };
    const source = tempProject({ "api.json": JSON.stringify(document) });
    expect((await portico(["init", "--from", join(source, "api.json"), "--yes"], root)).code).toBe(0);
    expect(existsSync(join(root, "openapi/openapi.yaml"))).toBe(false);
    const { info, paths } = document;
    expect(read(root, "openapi/openapi.json")).toBe(`${JSON.stringify({ openapi: "3.1.0", info, "x-portico": { handler: "mock" }, paths }, null, 2)}\n`);
    expect(read(root, "test/api/api.test.ts")).toContain('url: "/ping", status: 204');
    expect((await portico(["check"], root)).code).toBe(0);
  });

  it("--from a document made of several files: copies the files its $refs reach, in their places, and no other", async () => {
    const root = exampleProject();
    const source = tempProject({
      "api/openapi.yaml": spec(
        `  /things/{id}:\n    get:\n      operationId: getThing\n      parameters: [{ $ref: "./parts/params.yaml#/id" }]\n      responses: { "200": { $ref: "parts/responses/thing.yaml" } }`,
      ),
      "api/parts/params.yaml": "id: { name: id, in: path, required: true, schema: { type: string, pattern: '^t-[0-9]+$' }, example: t-7 }\n",
      "api/parts/responses/thing.yaml": 'description: A thing.\ncontent: { application/json: { schema: { $ref: "../schemas.yaml#/Thing" } } }\n',
      "api/parts/schemas.yaml": "Thing: { type: object, properties: { id: { type: string } } }\n",
      "api/unrelated.yaml": "not: referenced\n",
    });
    expect((await portico(["init", "--from", join(source, "api/openapi.yaml"), "--yes"], root)).code).toBe(0);
    for (const file of ["params.yaml", "responses/thing.yaml", "schemas.yaml"])
      expect(read(root, `openapi/parts/${file}`)).toBe(read(source, `api/parts/${file}`));
    expect(existsSync(join(root, "openapi/unrelated.yaml"))).toBe(false);
    expect(read(root, "test/api/api.test.ts")).toContain('url: "/things/t-7"');
    expect((await portico(["check"], root)).code).toBe(0);
  });

  it("--from a $ref outside the document's folder: refuses, naming it, and changes nothing", async () => {
    const root = exampleProject();
    const source = tempProject({
      "api/openapi.yaml": spec(`  /a:\n    get:\n      responses: { "200": { $ref: "../shared/ok.yaml" } }`),
      "shared/ok.yaml": "description: ok\n",
    });
    const { code, stderr } = await portico(["init", "--from", join(source, "api/openapi.yaml"), "--yes"], root);
    expect(code).toBe(1);
    expect(stderr).toContain('The document $refs "../shared/ok.yaml", outside the folder it sits in');
    expect(read(root, "openapi/openapi.yaml")).toBe(read(EXAMPLE, "openapi/openapi.yaml"));
  });

  describe("--from a URL", () => {
    let server: Server;
    let base = "";
    beforeAll(async () => {
      const files: Record<string, string> = {
        "/specs/api.yaml": spec(`  /hello:\n    get:\n      operationId: hello\n      responses: { "200": { $ref: "./ok.yaml" } }`),
        "/specs/ok.yaml": "description: ok\ncontent: { text/plain: { example: hello } }\n",
      };
      server = createServer((request, response) => {
        const text = files[request.url ?? ""];
        response.writeHead(text ? 200 : 404, { "content-type": "application/yaml" }).end(text ?? "not found");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("fetches the document and its relative $refs", async () => {
      const root = exampleProject();
      const { code, stdout } = await portico(["init", "--from", `${base}/specs/api.yaml`, "--yes"], root);
      expect(code).toBe(0);
      expect(stdout).toContain(`${base}/specs/api.yaml replaced the example`);
      expect(read(root, "openapi/ok.yaml")).toContain("example: hello");
      expect(read(root, "test/api/api.test.ts")).toContain('{ operationId: "hello", method: "GET", url: "/hello", status: 200 }');
      expect((await portico(["check"], root)).code).toBe(0);
    });

    it("says what the server answered when it is not the document", async () => {
      const root = exampleProject();
      const { code, stderr } = await portico(["init", "--from", `${base}/specs/missing.yaml`, "--yes"], root);
      expect(code).toBe(1);
      expect(stderr).toContain(`${base}/specs/missing.yaml answered 404`);
    });
  });

  it("--empty: a new document with GET /hello, mocked, and a policies/ folder that stays in git", async () => {
    const root = exampleProject();
    expect((await portico(["init", "--empty", "--yes"], root)).code).toBe(0);
    expect(read(root, "openapi/openapi.yaml")).toContain("x-portico:\n  handler: mock\n\npaths:\n  /hello:");
    expect(read(root, "policies/README.md")).toContain("one TypeScript module each");
    expect(read(root, "test/api/api.test.ts")).toContain('{ operationId: "hello", method: "GET", url: "/hello", status: 200 }');
    expect((await portico(["check"], root)).code).toBe(0);
  });

  it("refuses off a terminal without --yes, naming the command that goes ahead, and changes nothing", async () => {
    const root = exampleProject();
    const { code, stderr } = await portico(["init", "--from", "my-api.yaml"], root);
    expect(code).toBe(1);
    expect(stderr).toContain("there is no terminal to ask on");
    expect(stderr).toContain("run `npx portico init --from my-api.yaml --yes`");
    expect(read(root, "openapi/openapi.yaml")).toBe(read(EXAMPLE, "openapi/openapi.yaml"));
    expect(existsSync(join(root, "test"))).toBe(false);
  });

  it("a document that does not build changes nothing, and its errors point into the user's own file", async () => {
    const root = exampleProject();
    const source = tempProject({ "broken.yaml": spec(`  /a/{id}:\n    get:\n      responses: { "200": { description: ok } }`) });
    const { code, stderr } = await portico(["init", "--from", join(source, "broken.yaml"), "--yes"], root);
    expect(code).toBe(1);
    expect(stderr).toContain('declares no path parameter "id"');
    expect(stderr).toContain(`at ${join(source, "broken.yaml")}:6:`);
    expect(stderr).toContain("; nothing was changed.");
    for (const file of EXAMPLE_FILES) expect(read(root, file)).toBe(read(EXAMPLE, file));
    expect(existsSync(join(root, "test"))).toBe(false);
  });

  it("without --from: takes the document already in openapi/, keeping the example policies it still uses", async () => {
    const root = exampleProject();
    expect((await portico(["init", "--yes"], root)).code).toBe(0);
    expect(read(root, "openapi/openapi.yaml")).toBe(read(EXAMPLE, "openapi/openapi.yaml"));
    expect(existsSync(join(root, "policies/ticket-code.ts"))).toBe(true);
    expect(read(root, "test/api/api.test.ts")).toContain("getTicketCode: GET /tickets/{ticketId}/qr (answered by ./policies/ticket-code.ts)");
  });

  it("--tests writes only the test of the document in openapi/", async () => {
    const root = exampleProject();
    const { code, stdout } = await portico(["init", "--tests"], root);
    expect(code).toBe(0);
    expect(stdout).toContain("wrote test/api/api.test.ts: 7 case(s); 1 operation(s) not covered");
    expect(read(root, "test/api/api.test.ts")).toContain('operationId: "getExhibit"');
    for (const file of EXAMPLE_FILES) expect(read(root, file)).toBe(read(EXAMPLE, file));
  });

  it("help init explains the command", async () => {
    const { stdout } = await portico(["help", "init"], EXAMPLE);
    expect(stdout).toContain("Usage: portico init [--from <path|url>] [--empty] [--upstream <url>] [--yes]");
    expect((await portico(["--help"], EXAMPLE)).stdout).toMatch(/init\s+Replace the example with your API/);
  });
});
