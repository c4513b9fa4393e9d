import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/edge/app.ts";
import pipeline from "../../../test/.generated/pipeline/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { arrivals } from "../../../test/fixtures/gateways/edge/policies/count-arrivals.ts";
import { options } from "./options.ts";

const APP = "https://app.example.com";

function preflight(path: string, origin: string, method: string, requestHeaders?: string) {
  const headers: Record<string, string> = { origin, "access-control-request-method": method };
  if (requestHeaders) headers["access-control-request-headers"] = requestHeaders;
  return call(gateway, path, { method: "OPTIONS", headers });
}

const corsHeaders = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("access-control-")));

describe("cors: preflight, answered by the router", () => {
  it("answers an allowed origin with 204 and the allow headers, and never reaches a policy or the upstream", async () => {
    const before = arrivals.get("createItem") ?? 0;
    const response = await preflight("/items", APP, "POST", "content-type, authorization");
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toEqual({
      "access-control-allow-origin": APP,
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "GET, HEAD, OPTIONS, POST",
      "access-control-allow-headers": "Authorization, Content-Type, X-API-Key, X-Request-Id",
      "access-control-max-age": "300",
    });
    expect(response.headers.get("vary")).toBe("Origin");
    expect(await response.text()).toBe("");
    expect(arrivals.get("createItem") ?? 0).toBe(before);
  });

  it("is answered before authentication: a route that demands a token still passes its preflight", async () => {
    const response = await preflight("/private", APP, "GET", "authorization");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("answers a HEAD preflight from the GET operation", async () => {
    const response = await preflight("/items", APP, "HEAD");
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("gives a disallowed origin the plain 204 with Allow and no allow headers", async () => {
    for (const origin of ["https://evil.example", "https://app.example.com.evil.example", "null"]) {
      const response = await preflight("/items", origin, "POST");
      expect(response.status).toBe(204);
      expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
      expect(corsHeaders(response)).toEqual({});
    }
  });

  it("gives no allow headers for a method the path lacks, or one the options leave out", async () => {
    expect(corsHeaders(await preflight("/items", APP, "DELETE"))).toEqual({});
    expect(corsHeaders(await preflight("/items/1", APP, "DELETE"))).toEqual({});
  });

  it("uses an operation's own cors over the gateway's: any origin, the listed methods, the asked-for headers", async () => {
    const response = await preflight("/items/1", "https://anyone.example", "PUT", "x-custom, content-type");
    expect(corsHeaders(response)).toEqual({
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET, PUT",
      "access-control-allow-headers": "x-custom, content-type",
      "access-control-max-age": "600",
    });
    expect(response.headers.get("vary")).toBe("Access-Control-Request-Headers");
  });

  it("leaves an OPTIONS without Origin and Access-Control-Request-Method as it was: 204 with Allow", async () => {
    const plain = await call(gateway, "/items", { method: "OPTIONS" });
    expect(plain.status).toBe(204);
    expect(plain.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
    expect(corsHeaders(plain)).toEqual({});
    const originOnly = await call(gateway, "/items", { method: "OPTIONS", headers: { origin: APP } });
    expect(corsHeaders(originOnly)).toEqual({});
  });

  it("gives no CORS headers on a gateway that does not use cors", async () => {
    const response = await call(pipeline, "/v2/things/42", {
      method: "OPTIONS",
      headers: { origin: APP, "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PUT");
    expect(corsHeaders(response)).toEqual({});
  });
});

describe("cors: actual requests", () => {
  it("adds the allow, credentials and expose headers for an allowed origin, with Vary: Origin", async () => {
    const response = await call(gateway, "/items", { headers: { origin: APP } });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual({
      "access-control-allow-origin": APP,
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "RateLimit, RateLimit-Policy, Retry-After, X-Request-Id",
    });
    expect(response.headers.get("vary")).toBe("Origin");
    expect(response.headers.get("x-upstream")).toBe("yes");
  });

  it("takes any subdomain of a wildcard origin, and nothing else", async () => {
    for (const origin of ["https://a.partner.example", "https://eu.shop.partner.example"]) {
      const response = await call(gateway, "/items", { headers: { origin } });
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    }
    for (const origin of [
      "https://partner.example",
      "https://evilpartner.example",
      "http://a.partner.example",
      "https://a.partner.example.evil.example",
      "https://a.partner.example:8443",
    ]) {
      const response = await call(gateway, "/items", { headers: { origin } });
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("serves a disallowed origin without CORS headers, but serves it: the browser does the blocking", async () => {
    const response = await call(gateway, "/items", { headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual({});
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it("adds the headers to a 401 an earlier policy answered, so the page can read why", async () => {
    const before = arrivals.get("getPrivate") ?? 0;
    const response = await call(gateway, "/private", { headers: { origin: APP } });
    expect(response.status).toBe(401);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(arrivals.get("getPrivate") ?? 0).toBe(before);
  });

  it("adds the headers to a problem a policy threw (ip-filter's 403)", async () => {
    const response = await call(gateway, "/office", { headers: { origin: APP, "cf-connecting-ip": "198.51.100.1" } });
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect((await problemOf(response)).status).toBe(403);
  });

  it("replaces the upstream's own CORS headers with the gateway's, keeping its Vary", async () => {
    const allowed = await call(gateway, "/loose", { headers: { origin: APP } });
    expect(corsHeaders(allowed)).toEqual({
      "access-control-allow-origin": APP,
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "RateLimit, RateLimit-Policy, Retry-After, X-Request-Id",
    });
    expect(allowed.headers.get("vary")).toBe("Accept-Encoding, Origin");
    const refused = await call(gateway, "/loose", { headers: { origin: "https://evil.example" } });
    expect(corsHeaders(refused)).toEqual({});
  });

  it("answers * to any origin when the operation allows any and sends no credentials", async () => {
    const response = await call(gateway, "/items/7", { method: "PUT", headers: { origin: "https://anyone.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("access-control-expose-headers")).toBeNull();
  });

  it("keeps the headers on a HEAD answer", async () => {
    const response = await call(gateway, "/loose", { method: "HEAD", headers: { origin: APP } });
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(await response.text()).toBe("");
  });
});

describe("cors: options checked at build time", () => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(options);

  it("takes origins, subdomain wildcards and ${env.NAME}, and refuses paths, slashes and null", () => {
    for (const origin of [
      "https://app.example.com",
      "http://localhost:3000",
      "https://*.example.com",
      "capacitor://localhost",
      "http://[::1]:8080",
      "${env.APP_ORIGIN}",
    ]) {
      expect(validate({ origins: [origin] }), origin).toBe(true);
    }
    for (const origin of [
      "https://app.example.com/",
      "https://app.example.com/path",
      "app.example.com",
      "null",
      "https://*example.com",
      "https://a.*.example.com",
      "",
    ]) {
      expect(validate({ origins: [origin] }), origin).toBe(false);
    }
  });
});
