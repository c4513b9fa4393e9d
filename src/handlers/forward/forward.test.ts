import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/forward/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import type { Received } from "../../../test/support/upstream.ts";

async function received(path: string, init?: RequestInit): Promise<Received> {
  const response = await call(gateway, path, init);
  expect(response.status).toBe(200);
  return (await response.json()) as Received;
}

const header = (r: Received, name: string) => r.headers.filter(([n]) => n === name).map(([, v]) => v);

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("forward: the URL", () => {
  it("fills ${env.X} and ${params.x} into the upstream URL", async () => {
    const r = await received("/echo/abc");
    expect(r.method).toBe("GET");
    expect(r.target).toBe("/v1/items/abc");
  });

  it("re-encodes a parameter so ../ cannot add a segment", async () => {
    expect((await received("/echo/..%2Fadmin")).target).toBe("/v1/items/..%2Fadmin");
  });

  it("keeps a double-encoded dot double-encoded", async () => {
    expect((await received("/echo/%252e%252e")).target).toBe("/v1/items/%252e%252e");
  });

  it("cannot change the host or add a query through a parameter", async () => {
    expect((await received("/echo/evil.example%2F%3Fx%3D1%40")).target).toBe("/v1/items/evil.example%2F%3Fx%3D1%40");
  });

  it("passes the query byte for byte and in order", async () => {
    const query = "b=2&a=1&a=0&empty=&flag&sp=%20+x&enc=%E2%9C%93";
    expect((await received(`/echo/x?${query}`)).target).toBe(`/v1/items/x?${query}`);
  });

  it("appends the caller's query to a url that has one", async () => {
    expect((await received("/templated?q=art&page=2")).target).toBe("/v1/search?source=gateway&q=art&page=2");
  });

  it("defaults to x-portico.upstream plus the operation's path", async () => {
    const response = await call(gateway, "/status/201");
    expect(response.status).toBe(201);
    expect(((await response.json()) as Received).target).toBe("/status/201");
  });
});

describe("forward: headers", () => {
  it("drops hop-by-hop headers and those Connection names, keeps the rest", async () => {
    const r = await received("/echo/h", {
      headers: {
        connection: "x-custom-hop",
        "x-custom-hop": "1",
        "keep-alive": "timeout=5",
        te: "trailers",
        "proxy-authorization": "Basic c2VjcmV0",
        "x-regular": "kept",
      },
    });
    for (const name of ["x-custom-hop", "keep-alive", "te", "proxy-authorization"]) expect(header(r, name)).toEqual([]);
    expect(header(r, "x-regular")).toEqual(["kept"]);
  });

  it("sets X-Forwarded-Proto and -Host from the request, never trusts a caller's X-Forwarded-For", async () => {
    const r = await received("/echo/f", { headers: { "x-forwarded-for": "6.6.6.6", "x-forwarded-host": "evil.example" } });
    expect(header(r, "x-forwarded-for")).not.toContain("6.6.6.6");
    expect(header(r, "x-forwarded-proto")).toEqual(["https"]);
    expect(header(r, "x-forwarded-host")).toEqual(["api.example.com"]);
  });

  it("drops hop-by-hop headers of the upstream's response", async () => {
    const response = await call(gateway, "/echo/r");
    expect(response.headers.get("x-upstream")).toBe("yes");
    expect(response.headers.get("x-upstream-hop")).toBeNull();
    expect(response.headers.get("keep-alive")).toBeNull();
  });
});

describe("forward: bodies and statuses", () => {
  it("streams the request body byte for byte", async () => {
    const body = new Uint8Array(256 * 1024);
    for (let i = 0; i < body.length; i += 65536) crypto.getRandomValues(body.subarray(i, i + 65536));
    const r = await received("/echo/upload", { method: "POST", body, headers: { "content-type": "application/octet-stream" } });
    expect(r.method).toBe("POST");
    expect(r.bodyLength).toBe(body.length);
    expect(r.bodySha256).toBe(await sha256(body));
  });

  it("passes an upstream error status and body through unchanged", async () => {
    const response = await call(gateway, "/status/418");
    expect(response.status).toBe(418);
    expect(((await response.json()) as Received).target).toBe("/status/418");
  });

  it("never follows a redirect", async () => {
    const response = await call(gateway, "/redirect", { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/elsewhere");
  });

  it("streams the upstream's body", async () => {
    const response = await call(gateway, "/stream");
    expect(response.headers.get("x-upstream")).toBe("stream");
    expect(await response.text()).toBe("chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n");
  });
});

describe("forward: failures", () => {
  it("answers 502 problem when the upstream cannot be reached", async () => {
    const response = await call(gateway, "/down");
    expect(response.status).toBe(502);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 502, title: "Bad Gateway" });
    expect(problem.detail).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it("answers 504 problem when the upstream is slower than the timeout", async () => {
    const started = Date.now();
    const response = await call(gateway, "/slow");
    expect(response.status).toBe(504);
    expect((await problemOf(response)).detail).toBe("The upstream did not answer within 200 ms.");
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
