import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/pipeline/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { parsePrefer } from "./mock.ts";

describe("mock", () => {
  it("answers the first example of the lowest 2xx", async () => {
    const response = await call(gateway, "/v2/mock");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ n: 1 });
  });

  it("honours Prefer: example=name", async () => {
    const response = await call(gateway, "/v2/mock", { headers: { prefer: "example=second" } });
    expect(await response.json()).toEqual({ n: 2 });
    expect(response.headers.get("preference-applied")).toBe("example=second");
  });

  it("honours Prefer: code=404 with a value generated from the schema", async () => {
    const response = await call(gateway, "/v2/mock", { headers: { prefer: "code=404" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toEqual({ title: "Not here", status: 404 });
  });

  it("answers 501 problem for a status the operation does not declare", async () => {
    const response = await call(gateway, "/v2/mock", { headers: { prefer: "code=418" } });
    expect(response.status).toBe(501);
    expect((await problemOf(response)).detail).toMatch(/code=418.*Declared: 200, 404/);
  });
});

describe("parsePrefer", () => {
  it("reads code and example among other preferences, quoted or not", () => {
    expect(parsePrefer('respond-async, code=404; example="not found", wait=5')).toEqual({ code: "404", example: "not found" });
    expect(parsePrefer(null)).toEqual({ code: undefined, example: undefined });
  });
});

describe("mock and templates", () => {
  it("serves examples as written: a ${env.X} in the document never reads a var or secret", async () => {
    const response = await call(gateway, "/v2/leaky-example");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ token: "${env.GREETING}", unset: "${env.NOT_SET}" });
  });
});

describe("mock and problem answers", () => {
  it("fills a problem example's requestId and instance from the request", async () => {
    const response = await call(gateway, "/v2/mock-problem/p-7?x=1", { headers: { prefer: "code=404" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ title: "Not Found", status: 404, instance: "/v2/mock-problem/p-7", requestId });
  });

  it("fills them with a request id the caller gave, on each request anew", async () => {
    for (const id of ["client-id-1", "client-id-2"]) {
      const response = await call(gateway, `/v2/mock-problem/${id}`, { headers: { prefer: "code=404", "x-request-id": id } });
      expect(response.headers.get("x-request-id")).toBe(id);
      expect(await response.json()).toMatchObject({ instance: `/v2/mock-problem/${id}`, requestId: id });
    }
  });

  it("adds neither member to a problem example without them", async () => {
    const response = await call(gateway, "/v2/mock-problem/p-7", { headers: { prefer: "code=409" } });
    expect(await response.json()).toEqual({ title: "Conflict", status: 409 });
  });

  it("leaves answers that are not problems as written", async () => {
    const response = await call(gateway, "/v2/mock-problem/p-7");
    expect(await response.json()).toEqual({ requestId: "from-the-document", instance: "/from/the/document" });
  });
});
