/**
 * The example gateway as the repository ships it (test/fixtures/example, the
 * suite's own copy of the root's openapi/, policies/ and portal/), compiled by
 * test/setup.ts and called as the Worker calls it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import gateway from "../.generated/example/app.ts";
import { call } from "../support/call.ts";
import { storeConsumer } from "../support/consumers.ts";
import { keys, token } from "../support/tokens.ts";

/** As the edge sends it: with a connecting address (a fresh one unless given, so tests do not share a rate-limit bucket). */
const get = (path: string, init?: RequestInit) => {
  const headers = new Headers(init?.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}::1`);
  return call(gateway, `http://localhost:8787${path}`, { ...init, headers });
};

let visitorKey = "";
let curatorKey = "";
beforeAll(async () => {
  visitorKey = await storeConsumer({ id: "visitor-1" });
  curatorKey = await storeConsumer({ id: "curator-1", scopes: ["exhibits:write"] });
});

describe("the example Museum API", () => {
  it("lists exhibits from the mock, with the user policy's Cache-Control", async () => {
    const response = await get("/v1/exhibits?limit=2");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await response.json()) as { items: Array<{ id: string }> };
    expect(body.items.map((item) => item.id)).toEqual(["ex-1001", "ex-1002"]);
  });

  it("serves the fixed /exhibits/featured before /exhibits/{exhibitId}", async () => {
    expect(await (await get("/v1/exhibits/featured")).json()).toMatchObject({ id: "ex-1001" });
    expect(await (await get("/v1/exhibits/ex-7", { headers: { prefer: "example=sculpture" } })).json()).toMatchObject({ id: "ex-1002" });
  });

  it("answers from the user handler in policies/ticket-code.ts", async () => {
    const authorization = `Basic ${btoa(`visitor-1:${visitorKey}`)}`;
    expect(await (await get("/v1/tickets/tk-42/qr", { headers: { authorization } })).json()).toEqual({ ticketId: "tk-42", code: "MUSEUM-TK-42" });
  });

  it("answers DELETE with the declared 204 and no body", async () => {
    const authorization = `Bearer ${await token({ iss: "https://staff.museum.example/" }, { key: keys.staticKey })}`;
    const response = await get("/v1/exhibits/ex-1", { method: "DELETE", headers: { authorization } });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });
});

describe("the example's security and validation, derived from the document", () => {
  const ticket = (headers: Record<string, string>, body: unknown = { date: "2026-12-01", type: "adult" }) =>
    get("/v1/tickets", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  it("buyTicket takes an API key (apiKey scheme), and checks the body", async () => {
    const anonymous = await ticket({});
    expect(anonymous.status).toBe(401);
    // Authentication runs first: an anonymous caller learns nothing of the schema.
    const anonymousInvalid = await ticket({}, { date: "tomorrow" });
    expect(anonymousInvalid.status).toBe(401);
    expect(await anonymousInvalid.text()).not.toContain("date");
    expect(anonymous.headers.get("www-authenticate")).toContain("ApiKey");
    expect((await ticket({ "x-api-key": visitorKey })).status).toBe(201);
    const invalid = await ticket({ "x-api-key": visitorKey }, { date: "tomorrow", type: "vip" });
    expect(invalid.status).toBe(400);
    const problem = (await invalid.json()) as { errors: Array<{ pointer: string }> };
    expect(problem.errors.map((e) => e.pointer).sort()).toEqual(["/date", "/type"]);
  });

  it("deleteExhibit takes a staff JWT (bearer scheme with a static key from env)", async () => {
    const remove = (headers: Record<string, string>) => get("/v1/exhibits/ex-1", { method: "DELETE", headers });
    expect((await remove({})).status).toBe(401);
    expect((await remove({ authorization: `Bearer ${await token({ iss: "https://staff.museum.example/" }, { key: keys.staticKey })}` })).status).toBe(204);
    expect((await remove({ authorization: `Bearer ${await token({ iss: "https://staff.museum.example/" }, { key: keys.rsa })}` })).status).toBe(401);
  });

  it("createExhibit takes a staff token OR an API key holding exhibits:write", async () => {
    const exhibit = { id: "ex-9", title: "Vase", gallery: "north", year: 1920, onShow: false };
    const create = (headers: Record<string, string>) =>
      get("/v1/exhibits", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(exhibit) });
    expect((await create({ "x-api-key": curatorKey })).status).toBe(201);
    expect((await create({ "x-api-key": visitorKey })).status).toBe(403);
  });

  it("getTicketCode takes HTTP basic: consumer id and API key", async () => {
    const basic = `Basic ${btoa(`visitor-1:${visitorKey}`)}`;
    expect((await get("/v1/tickets/tk-42/qr")).status).toBe(401);
    expect((await get("/v1/tickets/tk-42/qr", { headers: { authorization: basic } })).status).toBe(200);
  });

  it("answers a CORS preflight for the local portal without reaching any policy", async () => {
    const response = await get("/v1/tickets", {
      method: "OPTIONS",
      headers: { origin: "http://localhost:8787", "access-control-request-method": "POST", "access-control-request-headers": "x-api-key, content-type" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:8787");
  });
});

describe("the example's rate limits by tier", () => {
  it("anonymous callers get 10 a minute by address, with the RateLimit headers", async () => {
    const headers = { "cf-connecting-ip": "198.51.100.10" };
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) statuses.push((last = await get("/v1/exhibits/featured", { headers })).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    expect(last!.headers.get("ratelimit-policy")).toBe('"per-consumer";q=10;w=60');
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a paid consumer is counted by consumer, with its tier's limit, from any address", async () => {
    const paid = await storeConsumer({ id: "paid-1", tier: "paid" });
    for (let i = 0; i < 15; i++) {
      const response = await get("/v1/tickets/tk-1/qr", {
        headers: { authorization: `Basic ${btoa(`paid-1:${paid}`)}`, "cf-connecting-ip": `198.51.100.${i}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit-policy")).toBe('"per-consumer";q=10000;w=60');
      // GCRA refills continuously (one request back every 6 ms at 10,000 a minute).
      const remaining = Number(/r=(\d+)/.exec(response.headers.get("ratelimit")!)![1]);
      expect(remaining).toBeGreaterThanOrEqual(9999 - i);
    }
  });

  it("reading takes an optional API key: a paid one is counted by its tier, a wrong one refused", async () => {
    const paid = await storeConsumer({ id: "paid-reader", tier: "paid" });
    const headers = { "cf-connecting-ip": "198.51.100.20" };
    for (let i = 0; i < 10; i++) expect((await get("/v1/exhibits", { headers })).status).toBe(200);
    const anonymous = await get("/v1/exhibits", { headers });
    expect(anonymous.status).toBe(429);
    expect(anonymous.headers.get("ratelimit-policy")).toBe('"browsing";q=10;w=60');
    // Listing has a budget of its own: the same address may still read an exhibit.
    expect((await get("/v1/exhibits/featured", { headers })).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const keyed = await get("/v1/exhibits", { headers: { ...headers, "x-api-key": paid } });
      expect(keyed.status).toBe(200);
      expect(keyed.headers.get("ratelimit-policy")).toBe('"browsing";q=10000;w=60');
    }
    expect((await get("/v1/exhibits", { headers: { ...headers, "x-api-key": "ptk_not-a-key" } })).status).toBe(401);
  });
});
