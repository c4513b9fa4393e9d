import { describe, expect, it, vi } from "vitest";
import gateway from "../.generated/pipeline/app.ts";
import { call, problemOf } from "../support/call.ts";

interface Echo {
  route: { operationId: string; method: string; path: string };
  params: Record<string, string>;
  requestId: string;
  stopChecked: boolean;
  greeting: string | null;
  headers: Record<string, string>;
}

describe("the request pipeline", () => {
  it("runs gateway inbound, operation inbound, handler, operation outbound, gateway outbound, in order", async () => {
    const response = await call(gateway, "/v2/things/42");
    expect(response.status).toBe(200);
    const echo = (await response.json()) as Echo;
    expect(echo.headers["x-trace"]).toBe("gateway-in,op-in");
    expect(response.headers.get("x-trace")).toBe("op-out,gateway-out");
  });

  it("routes templates that differ only in a parameter's name by method, each operation reading its own names", async () => {
    const got = (await (await call(gateway, "/v2/renamed/sha256%3Aab")).json()) as Echo;
    expect([got.route.operationId, got.params]).toEqual(["getRenamed", { subject_digest: "sha256:ab" }]);
    const deleted = (await (await call(gateway, "/v2/renamed/42", { method: "DELETE" })).json()) as Echo;
    expect([deleted.route.operationId, deleted.params]).toEqual(["deleteRenamed", { attestation_id: "42" }]);
    // Validated by the DELETE's own schema, under its own name.
    expect((await call(gateway, "/v2/renamed/abc", { method: "DELETE" })).status).toBe(400);
    const refused = await call(gateway, "/v2/renamed/42", { method: "PUT" });
    expect(refused.status).toBe(405);
    expect(refused.headers.get("allow")).toBe("DELETE, GET, HEAD, OPTIONS");
  });

  it("gives the handler the route, decoded params, env-filled options and the bag", async () => {
    const echo = (await (await call(gateway, "/v2/things/a%20b")).json()) as Echo;
    expect(echo.route).toEqual({ operationId: "getThing", method: "GET", path: "/things/{id}" });
    expect(echo.params).toEqual({ id: "a b" });
    expect(echo.greeting).toBe("hello");
    expect(echo.stopChecked).toBe(true);
  });

  it("lets an inbound policy end the request; the handler never runs, outbound still does", async () => {
    const response = await call(gateway, "/v2/things/1", { headers: { "x-stop": "1" } });
    expect(response.status).toBe(418);
    expect(await response.text()).toBe("stopped by policy");
    expect(response.headers.get("x-trace")).toBe("op-out,gateway-out");
  });

  it("turns a throwing policy into a 500 problem with the requestId and none of the error's text", async () => {
    const response = await call(gateway, "/v2/things/1", { headers: { "x-explode": "1", "x-request-id": "trace-me-0001" } });
    expect(response.status).toBe(500);
    const text = await response.clone().text();
    expect(text).not.toMatch(/hunter2|password|stack|\.ts:\d/);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 500, title: "Internal Server Error", instance: "/v2/things/1", requestId: "trace-me-0001" });
    expect(response.headers.get("x-request-id")).toBe("trace-me-0001");
  });

  it("logs the thrown error as one JSON line carrying the requestId", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    try {
      await call(gateway, "/v2/things/1", { headers: { "x-explode": "1", "x-request-id": "log-me-00001" } });
    } finally {
      spy.mockRestore();
    }
    const entry = JSON.parse(lines.at(-1)!);
    expect(entry).toMatchObject({ level: "error", requestId: "log-me-00001", operationId: "getThing", errorMessage: "database password is hunter2" });
  });

  it("answers 500 to a policy that returns neither Request nor Response, and the next request succeeds", async () => {
    const broken = await call(gateway, "/v2/things/1", { headers: { "x-bad-return": "1" } });
    expect(broken.status).toBe(500);
    expect((await problemOf(broken)).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call(gateway, "/v2/things/1")).status).toBe(200);
  });

  it("turns a throwing handler into a 500 problem without leaking", async () => {
    const response = await call(gateway, "/v2/handler-throws");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/secret|config\.json|TypeError/);
    expect(JSON.parse(text).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("turns a throwing outbound policy into a 500 problem", async () => {
    const response = await call(gateway, "/v2/outbound-throws");
    expect(response.status).toBe(500);
    expect(await response.text()).not.toMatch(/outbound secret/);
  });

  it("answers 500 without naming the variable when a ${env.X} is not set", async () => {
    const response = await call(gateway, "/v2/missing-env");
    expect(response.status).toBe(500);
    expect(await response.text()).not.toMatch(/NOT_SET/);
  });
});

describe("the router", () => {
  it("answers 404 problem+json for an unknown path", async () => {
    const response = await call(gateway, "/v2/nothing/here");
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({
      status: 404,
      title: "Not Found",
      type: "https://api.example.com/docs/errors#not-found",
      instance: "/v2/nothing/here",
    });
  });

  it("answers 404 outside the base path of servers[0]", async () => {
    expect((await call(gateway, "/things/42")).status).toBe(404);
  });

  it("answers 405 problem+json with Allow for a method the path lacks", async () => {
    const response = await call(gateway, "/v2/things/42", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PUT");
    expect(await problemOf(response)).toMatchObject({ status: 405, detail: expect.stringContaining("DELETE") });
  });

  it("answers OPTIONS with Allow", async () => {
    const response = await call(gateway, "/v2/things/42", { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PUT");
  });

  it("answers HEAD from the GET operation without a body", async () => {
    const response = await call(gateway, "/v2/things/special", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("prefers a static path over a templated one (/things/special before /things/{id})", async () => {
    expect(await (await call(gateway, "/v2/things/special")).json()).toEqual({ special: true });
  });

  it("takes a literal segment beside a parameter in the same position", async () => {
    expect(await (await call(gateway, "/v2/issues/comments")).json()).toEqual({ comments: [] });
    const echo = (await (await call(gateway, "/v2/issues/7")).json()) as Echo;
    expect(echo.route.operationId).toBe("getIssue");
    expect(echo.params).toEqual({ number: "7" });
  });

  it("matches a template with two parameters in one segment", async () => {
    const echo = (await (await call(gateway, "/v2/files/report.final.pdf")).json()) as Echo;
    expect(echo.params).toEqual({ name: "report", ext: "final.pdf" });
    expect((await call(gateway, "/v2/files/noext")).status).toBe(404);
  });

  it("serves /openapi.json without x-portico", async () => {
    const response = await call(gateway, "/openapi.json");
    expect(response.headers.get("content-type")).toBe("application/json");
    const text = await response.text();
    expect(text).not.toMatch(/x-portico/);
    expect(JSON.parse(text).paths["/things/{id}"].get.operationId).toBe("getThing");
  });
});
