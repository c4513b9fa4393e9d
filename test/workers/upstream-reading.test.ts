/**
 * What a client could make the upstream read differently from the gateway:
 * a method or URL carried in a header or in `_method`, and a path parameter
 * whose percent-encoding does not decode. Against the forward gateway and the
 * local upstream of test/support/upstream.ts, which answers with what reached it.
 */
import { describe, expect, it } from "vitest";
import gateway from "../.generated/forward/app.ts";
import { call, problemOf } from "../support/call.ts";
import type { Received } from "../support/upstream.ts";

const OVERRIDES = {
  "x-http-method-override": "DELETE",
  "x-http-method": "DELETE",
  "x-method-override": "DELETE",
  "x-original-method": "DELETE",
  "x-forwarded-method": "DELETE",
  "x-original-url": "/v1/files/report?force=1",
  "x-rewrite-url": "/v1/files/report?force=1",
  "x-original-uri": "/v1/files/report",
  "x-forwarded-uri": "/v1/files/report",
  "x-forwarded-path": "/admin",
  "x-forwarded-prefix": "/admin",
  "x-middleware-subrequest": "middleware",
};

async function received(path: string, init?: RequestInit): Promise<Received> {
  const response = await call(gateway, path, init);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Received;
}

async function refused(path: string, init?: RequestInit) {
  const response = await call(gateway, path, init);
  expect(response.status, await response.clone().text()).toBe(400);
  return (await problemOf(response)) as Awaited<ReturnType<typeof problemOf>> & { errors?: Array<{ in: string; name?: string; message: string }> };
}

const names = (r: Received) => r.headers.map(([name]) => name);

describe("method overrides and rewritten URLs", () => {
  it("never reach the upstream: an open GET cannot become the DELETE that takes a token", async () => {
    expect((await call(gateway, "/files/report", { method: "DELETE" })).status).toBe(401);
    const r = await received("/files/report", { headers: OVERRIDES });
    expect(r.method).toBe("GET");
    expect(r.target).toBe("/v1/files/report");
    for (const name of Object.keys(OVERRIDES)) expect(names(r)).not.toContain(name);
  });

  it("reach it when a policy sets one on the way out", async () => {
    const r = await received("/tunnel", { headers: { "x-http-method-override": "DELETE" } });
    expect(r.headers.filter(([name]) => name === "x-http-method-override")).toEqual([["x-http-method-override", "PATCH"]]);
  });

  it("refuse an undeclared _method query parameter, however it is spelled, and rewrite no query", async () => {
    const spellings = {
      "_method=DELETE": "_method",
      "a=1&_method=delete": "_method",
      "%5Fmethod=DELETE": "_method",
      "_%6Dethod=DELETE": "_method",
      _method: "_method",
    };
    // PHP reads these names as _method too.
    const php = { ".method=DELETE": ".method", "[method=DELETE": "[method", "+.method=DELETE": " .method" };
    for (const [query, name] of Object.entries({ ...spellings, ...php })) {
      const problem = await refused(`/files/report?${query}`);
      expect(problem.errors, query).toEqual([expect.objectContaining({ in: "query", name })]);
    }
    expect((await refused("/unchecked/report?_method=DELETE")).errors).toEqual([expect.objectContaining({ in: "query", name: "_method" })]);
    expect((await received("/files/report?my_method=x&method=DELETE")).target).toBe("/v1/files/report?my_method=x&method=DELETE");
  });

  it("let _method through, byte for byte, where the operation declares it", async () => {
    const r = await received("/legacy-form?_method=PATCH", { method: "POST", body: "a=1", headers: { "content-type": "text/plain" } });
    expect(r.target).toBe("/legacy-form?_method=PATCH");
  });
});

describe("percent-encoding in the path", () => {
  const malformed = ["%zz", "%", "a%2", "%c0%ae%c0%ae", "%ed%a0%80", "%ff", "%e2%82"];

  it("is refused where it does not decode to UTF-8, naming the parameter", async () => {
    for (const value of malformed) {
      const problem = await refused(`/files/${value}`);
      expect(problem.errors, value).toEqual([{ in: "path", name: "name", message: 'Path parameter "name" has invalid percent-encoding.' }]);
    }
  });

  it("is refused on an operation with validation off, and in a parameter inside a segment", async () => {
    expect((await refused("/unchecked/%zz")).errors).toEqual([expect.objectContaining({ in: "path", name: "name" })]);
    expect((await refused("/archive/%c0%ae.txt")).errors).toEqual([expect.objectContaining({ in: "path", name: "name" })]);
    expect((await refused("/archive/report.%")).errors).toEqual([expect.objectContaining({ in: "path", name: "ext" })]);
  });

  it("goes on when it decodes: a literal %, an encoded slash, UTF-8", async () => {
    expect((await received("/files/%25zz")).target).toBe("/v1/files/%25zz");
    expect((await received("/files/a%2Fb")).target).toBe("/v1/files/a%2Fb");
    expect((await received("/files/caf%C3%A9")).target).toBe("/v1/files/caf%C3%A9");
    expect((await received("/archive/r%C3%A9sum%C3%A9.pdf")).target).toBe("/v1/archive/r%C3%A9sum%C3%A9.pdf");
  });
});
