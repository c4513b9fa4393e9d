/**
 * portico/testing, as a user's test uses it: one policy run on its own, and whole
 * compiled gateways called with a fake upstream, a stored API key and a frozen clock.
 */
import { definePolicy, GatewayError, PROBLEM } from "portico";
import { callGateway, fakeConsumer, fakeUpstream, runPolicy, storeApiKey, testClock, testRequest } from "portico/testing";
import { describe, expect, it } from "vitest";
import forwardApp from "../.generated/forward/app.ts";
import quotaApp from "../.generated/quota/app.ts";

const needsTenant = definePolicy({
  inbound(request, ctx) {
    if (!request.headers.has("x-tenant")) throw new GatewayError(PROBLEM.badRequest, "Send X-Tenant.");
    ctx.bag.set("tenant", request.headers.get("x-tenant"));
    return ctx.consumer?.tier === "blocked" ? new Response("no", { status: 403 }) : request;
  },
});

describe("runPolicy", () => {
  it("answers a thrown GatewayError as the gateway does: a problem with the requestId", async () => {
    const { response, forwarded, ctx } = await runPolicy(needsTenant, testRequest("/orders"));
    expect(forwarded).toBeUndefined();
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ detail: "Send X-Tenant.", instance: "/orders", requestId: ctx.requestId });
  });

  it("hands what the inbound hook passes on to the test's handler, and keeps its own answers", async () => {
    const headers = { "x-tenant": "acme" };
    const passed = await runPolicy(needsTenant, testRequest("/orders", { headers }), { handler: () => new Response("from upstream", { status: 201 }) });
    expect(passed.response.status).toBe(201);
    expect(passed.forwarded?.headers.get("x-tenant")).toBe("acme");
    expect(passed.ctx.bag.get("tenant")).toBe("acme");
    const refused = await runPolicy(needsTenant, testRequest("/orders", { headers }), { consumer: fakeConsumer({ tier: "blocked" }) });
    expect(refused.response.status).toBe(403);
    expect(refused.forwarded).toBeUndefined();
  });
});

describe("testRequest", () => {
  it("sends JSON with its media type, the query and the caller's address", async () => {
    const request = testRequest("/items", { json: { a: 1 }, query: { page: "2" }, ip: "203.0.113.9" });
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://api.example.com/items?page=2");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("cf-connecting-ip")).toBe("203.0.113.9");
    expect(await request.json()).toEqual({ a: 1 });
  });
});

describe("a whole gateway with a fake upstream", () => {
  it("records what forward sent and returns what the test answered", async () => {
    const upstream = fakeUpstream("https://upstream.test", () => Response.json({ id: "from-fake" }));
    const response = await callGateway(forwardApp, testRequest("/echo/abc", { json: { note: "hi" } }), { env: { UPSTREAM_URL: upstream.url } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "from-fake" });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.last?.method).toBe("POST");
    expect(upstream.last?.url).toBe("https://upstream.test/v1/items/abc");
    expect(JSON.parse(upstream.last?.body ?? "")).toEqual({ note: "hi" });
  });

  it("gives fetch back when the test ends", () => {
    expect(fetch.name).not.toBe("intercepting");
  });
});

describe("a stored API key and a frozen clock", () => {
  it("a quota of 3 a day refuses the fourth call, never forwarded, and allows again the next day", async () => {
    const clock = testClock("2026-03-10T12:00:00Z");
    const upstream = fakeUpstream("https://counting.test", () => new Response("ok"));
    const key = await storeApiKey({ id: `kit-${crypto.randomUUID()}`, tier: "free" });
    const daily = () => callGateway(quotaApp, testRequest("/daily", { headers: { "x-api-key": key } }), { env: { AUTH_URL: upstream.url } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await daily()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(upstream.requests).toHaveLength(3);
    clock.advance(24 * 60 * 60 * 1000);
    expect((await daily()).status).toBe(200);
    expect(upstream.requests).toHaveLength(4);
  });

  it("without the key, authentication answers 401 and nothing reaches the upstream", async () => {
    const upstream = fakeUpstream("https://counting.test");
    const response = await callGateway(quotaApp, testRequest("/daily"), { env: { AUTH_URL: upstream.url } });
    expect(response.status).toBe(401);
    expect(upstream.requests).toHaveLength(0);
  });
});
