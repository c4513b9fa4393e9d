/**
 * D. Proxying, what the upstream is told and what comes back (P3, P7, P8, P9):
 * the client's claims about its address, host and method never pass; the
 * query, the body and every Set-Cookie arrive exactly as sent.
 */
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectProblem, headerOf, send, suite, tag, upstreamSaw } from "./support/gateway.ts";
import { count } from "./support/profile.ts";
import { head, rawExchange } from "./support/raw-http.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const upstreamHost = `127.0.0.1:${suite.upstreamPort}`;

/** Headers some servers read as the request's real method or URL. */
const OVERRIDES = [
  "X-HTTP-Method-Override",
  "X-HTTP-Method",
  "X-Method-Override",
  "X-Original-Method",
  "X-Forwarded-Method",
  "X-Original-URL",
  "X-Rewrite-URL",
  "X-Original-URI",
  "X-Forwarded-Uri",
  "X-Forwarded-Path",
  "X-Forwarded-Prefix",
  "X-Middleware-Subrequest",
];

describe("D. Proxying: forwarding", () => {
  it("P3: the client's Host, X-Forwarded-*, Forwarded, X-Real-IP and True-Client-IP never reach the upstream; XFF is the connecting address", async () => {
    const caseTag = tag("P3");
    const claims = {
      "cf-connecting-ip": "203.0.113.9",
      "x-forwarded-for": "6.6.6.6",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "gopher",
      forwarded: "for=6.6.6.6;host=evil.example;proto=https",
      "x-real-ip": "6.6.6.6",
      "true-client-ip": "6.6.6.6",
    };
    expect((await send("/public", { headers: claims, tag: caseTag })).status).toBe(200);
    const { statuses } = await rawExchange(
      head("GET /v1/public HTTP/1.1", [`x-case: ${caseTag}`, "Host: evil.example", "Connection: close"]).replace(/^Host: 127[^\r]*\r\n/m, ""),
    );
    expect(statuses).toEqual([200]);
    const [claimed, hosted] = await upstreamSaw(caseTag);
    expect(headerOf(claimed, "host")).toBe(upstreamHost);
    expect(headerOf(claimed, "x-forwarded-for")).toBe("203.0.113.9");
    expect(headerOf(claimed, "x-forwarded-host")).not.toBe("evil.example");
    expect(headerOf(claimed, "x-forwarded-proto")).toBe("http");
    for (const name of ["forwarded", "x-real-ip", "true-client-ip"]) expect(headerOf(claimed, name), name).toBeUndefined();
    expect(JSON.stringify(claimed.headers)).not.toContain("6.6.6.6");
    expect(headerOf(hosted, "host")).toBe(upstreamHost);
  });

  it("P3: method and URL override headers never reach the upstream; the method it gets is the one the gateway checked", async () => {
    const caseTag = tag("P3");
    const headers = Object.fromEntries(OVERRIDES.map((name) => [name, name.includes("Method") ? "DELETE" : "/admin-area"]));
    expect((await send("/public", { headers, tag: caseTag })).status).toBe(200);
    const [seen] = await upstreamSaw(caseTag);
    expect(seen.method).toBe("GET");
    expect(seen.target).toBe("/public");
    for (const name of OVERRIDES) expect(headerOf(seen, name.toLowerCase()), name).toBeUndefined();
  });

  it("P3: a _method query parameter the operation does not declare, in any spelling PHP reads → 400, 0 upstream hits", async () => {
    const caseTag = tag("P3");
    for (const query of ["_method=DELETE", "%5Fmethod=DELETE", ".method=DELETE", "[method=DELETE", "%20_method=DELETE", "a=1&_method=PUT"]) {
      expectProblem(await send(`/public?${query}`, { tag: caseTag }), 400);
      expectProblem(await send(`/echo/1?${query}`, { method: "POST", body: "x", headers: { "content-type": "text/plain" }, tag: caseTag }), 400);
    }
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
  });

  it("P7: the query reaches the upstream byte for byte and in order, repeats, odd escapes and empty pairs included", async () => {
    const caseTag = tag("P7");
    const queries = ["?b=2&a=1&a=3&c=%20", "?x=%2F&y=+&z=%7e&&w&=v&k=a%26b", "?q=%C3%A9t%C3%A9&Q=1&q=2", "?", "?a=1;b=2&c=%3B"];
    for (const query of queries) expect((await send(`/search${query}`, { tag: caseTag })).status).toBe(200);
    // An empty query ("?" alone) may arrive without its "?".
    expect((await upstreamSaw(caseTag)).map((record) => record.target)).toEqual(queries.map((query) => `/search${query === "?" ? "" : query}`));
  });

  it(`P8: ${count(8, 50)} MB up and back down, streamed: SHA-256 equal at the client, the upstream and back`, async () => {
    const caseTag = tag("P8");
    const body = randomBytes(count(8, 50) * 1024 * 1024);
    const response = await fetch(`${suite.gateway}/mirror`, {
      method: "POST",
      body,
      headers: { "content-type": "application/octet-stream", "x-case": caseTag },
    });
    expect(response.status).toBe(200);
    const echoed = new Uint8Array(await response.arrayBuffer());
    const [seen] = await upstreamSaw(caseTag);
    expect([seen.bodyLength, seen.bodySha256]).toEqual([body.length, sha256(body)]);
    expect([echoed.length, sha256(echoed)]).toEqual([body.length, sha256(body)]);
  });

  it("P9: two Set-Cookie headers arrive as two; HEAD has no body; a CORS preflight is answered without the upstream", async () => {
    const cookies = await fetch(`${suite.gateway}/public`);
    expect(cookies.headers.getSetCookie()).toEqual(["a=1; Path=/; HttpOnly", "b=2; Path=/; Secure"]);
    await cookies.body?.cancel();
    const caseTag = tag("P9");
    const headRequest = await send("/public", { method: "HEAD", tag: caseTag });
    expect([headRequest.status, headRequest.text]).toEqual([200, ""]);
    const preflight = await send("/key", {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "GET", "access-control-request-headers": "x-api-key" },
      tag: caseTag,
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect((await upstreamSaw(caseTag)).map((record) => record.method)).toEqual(["HEAD"]);
  });
});
