import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/forward/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import type { Received } from "../../../test/support/upstream.ts";
import { UnsafeParamError } from "../../runtime/templates.ts";
import { targetUrl } from "./forward.ts";

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

  it("keeps a double-encoded dot double-encoded, and ? and # encoded", async () => {
    expect((await received("/echo/%252e%252e")).target).toBe("/v1/items/%252e%252e");
    expect((await received("/echo/a%3Fb%23c")).target).toBe("/v1/items/a%3Fb%23c");
  });

  it("sends one path to both the router and the upstream: dot-segments and doubled slashes never reach another route", async () => {
    expect((await call(gateway, "/echo/%2e%2e/admin")).status).toBe(404);
    expect((await call(gateway, "//echo/x")).status).toBe(404);
    expect((await received("/echo/..;")).target).toBe("/v1/items/..%3B");
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

  it("a client's Connection header cannot remove what a policy set for the upstream", async () => {
    const r = await received("/tenant", { headers: { connection: "keep-alive, x-tenant", "x-tenant": "evil" } });
    expect(header(r, "x-tenant")).toEqual(["acme"]);
    expect(header(r, "connection")).toEqual([]);
  });

  it("sets X-Forwarded-* from the connection, never from the caller's own claims", async () => {
    const r = await received("/echo/f", {
      headers: {
        "cf-connecting-ip": "203.0.113.7",
        "x-forwarded-for": "6.6.6.6",
        "x-forwarded-host": "evil.example",
        forwarded: "for=6.6.6.6;host=evil.example",
        "x-real-ip": "6.6.6.6",
        "true-client-ip": "6.6.6.6",
        host: "evil.example",
      },
    });
    expect(header(r, "x-forwarded-for")).toEqual(["203.0.113.7"]);
    expect(header(r, "x-forwarded-proto")).toEqual(["https"]);
    expect(header(r, "x-forwarded-host")).toEqual(["api.example.com"]);
    for (const name of ["forwarded", "x-real-ip", "true-client-ip"]) expect(header(r, name)).toEqual([]);
    expect(header(r, "host")).toEqual([new URL(env.UPSTREAM_URL).host]);
  });

  it("drops hop-by-hop headers of the upstream's response, keeps each Set-Cookie apart", async () => {
    const response = await call(gateway, "/echo/r");
    expect(response.headers.get("x-upstream")).toBe("yes");
    for (const name of ["x-upstream-hop", "keep-alive", "proxy-authenticate", "trailer"]) expect(response.headers.get(name)).toBeNull();
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/; HttpOnly", "b=2; Path=/; Secure"]);
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

  it("round-trips a 32 MB body, streamed both ways, byte for byte", { timeout: 60_000 }, async () => {
    const body = new Uint8Array(32 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 65536) crypto.getRandomValues(body.subarray(i, i + 65536));
    const response = await call(gateway, "/mirror", { method: "POST", body });
    expect(response.status).toBe(200);
    const back = new Uint8Array(await response.arrayBuffer());
    expect(back.length).toBe(body.length);
    expect(await sha256(back)).toBe(await sha256(body));
  });

  it("passes upstream error statuses and bodies through unchanged", async () => {
    for (const status of [418, 503]) {
      const response = await call(gateway, `/status/${status}`);
      expect(response.status).toBe(status);
      expect(((await response.json()) as Received).target).toBe(`/status/${status}`);
    }
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
  it("answers 502 problem within a second when the upstream cannot be reached", async () => {
    const started = Date.now();
    const response = await call(gateway, "/down");
    expect(Date.now() - started).toBeLessThan(1000);
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
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("forward: no parameter can re-route the request (property test)", () => {
  const upstream = "https://up.example:8443";
  const template = `${upstream}/v1/items/\${params.id}/detail`;
  const request = new Request("https://gateway.example/items/x");
  const values = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ unit: "binary-ascii", maxLength: 40 }),
    fc.constantFrom("@evil.com", "//169.254.169.254", "http://x", "..%2F..%2Fadmin", "%252e%252e", "a?b#c", "\\..\\admin", "x@y:1/", ".%2e"),
  );

  it("keeps the upstream's host and exactly one segment for the parameter, for 10,000 values", () => {
    fc.assert(
      fc.property(values, (value) => {
        if (value === "." || value === "..") {
          expect(() => targetUrl(template, { id: value }, request)).toThrow(UnsafeParamError);
          return;
        }
        const url = new URL(targetUrl(template, { id: value }, request));
        expect(url.host).toBe("up.example:8443");
        expect(url.search).toBe("");
        const segments = url.pathname.split("/");
        expect(segments).toHaveLength(5);
        expect([segments[1], segments[2], segments[4]]).toEqual(["v1", "items", "detail"]);
        expect(decodeURIComponent(segments[3])).toBe(value);
      }),
      { numRuns: 10_000 },
    );
  });
});
