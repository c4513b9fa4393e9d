/**
 * E. Caching (C1–C4) through the local Cache API of `npm run dev`: nobody
 * sees another's answer, nothing marked private or carrying a cookie is kept,
 * a poisoner's headers never shape a stored answer, errors are never stored.
 * The upstream's counting route says who asked and how often.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { send, suite } from "./support/gateway.ts";
import { count } from "./support/profile.ts";

interface Counted {
  key: string;
  hit: number;
  method: string;
  "x-consumer-id": string | null;
  "x-forwarded-host": string | null;
  "x-original-url": string | null;
  "x-http-method-override": string | null;
}

const as = (consumer: "alice" | "bob") => ({ "x-api-key": suite.consumers[consumer] });
const counted = async (path: string, headers: Record<string, string> = {}) => {
  const answer = await send(path, { headers });
  return { answer, body: answer.status === 200 ? answer.json<Counted>() : undefined };
};

describe("E. Caching", () => {
  it(`C1: alice and bob alternate ${count(40, 1000)} GETs of one cacheable route; no answer crosses consumers`, async () => {
    // An hour's lifetime: the run may take longer than the default minute on a busy machine.
    const path = `/cached/mine/${randomUUID()}?cc=max-age%3D3600`;
    const hits: string[] = [];
    for (let i = 0; i < count(40, 1000); i++) {
      const consumer = i % 2 === 0 ? "alice" : "bob";
      const { answer, body } = await counted(path, as(consumer));
      expect(body?.["x-consumer-id"], `request ${i}`).toBe(consumer);
      hits.push(answer.headers.get("cache-status") ?? "");
    }
    // The cache was at work: each consumer's first request missed, the rest hit.
    expect(hits.filter((status) => status.includes("hit"))).toHaveLength(count(40, 1000) - 2);
  });

  it("C2: answers marked private (on a shared entry), no-store, no-cache or carrying Set-Cookie are never stored", async () => {
    for (const query of ["cc=private%2C%20max-age%3D60", "cc=no-store", "cc=no-cache", "cookie=1"]) {
      const path = `/cached/shared/${randomUUID()}?${query}`;
      const first = await counted(path);
      const second = await counted(path);
      expect([first.body?.hit, second.body?.hit], query).toEqual([1, 2]);
    }
  });

  it("C3: X-Forwarded-Host, X-Original-URL and X-HTTP-Method-Override never shape a stored answer; a clean request gets the clean body", async () => {
    const path = `/cached/shared/${randomUUID()}`;
    const poisoned = await counted(path, { "x-forwarded-host": "evil.example", "x-original-url": "/admin", "x-http-method-override": "DELETE" });
    expect(poisoned.body).toMatchObject({ hit: 1, method: "GET", "x-original-url": null, "x-http-method-override": null });
    expect(poisoned.body?.["x-forwarded-host"]).not.toBe("evil.example");
    const clean = await counted(path);
    expect(clean.answer.text).not.toMatch(/evil|\/admin|DELETE/);
  });

  it("C4: declared query order, GET beside HEAD, errors and unrouted look-alike paths make no wrong entry", async () => {
    const key = randomUUID();
    const first = await counted(`/cached/shared/${key}?cc=max-age%3D60&cookie=0`);
    const reordered = await counted(`/cached/shared/${key}?cookie=0&cc=max-age%3D60`);
    expect([first.body?.hit, reordered.body?.hit]).toEqual([1, 1]);
    const head = await send(`/cached/shared/${key}?cc=max-age%3D60&cookie=0`, { method: "HEAD" });
    expect([head.status, head.text]).toEqual([200, ""]);
    // A HEAD that hit the GET entry did not replace it with an empty one.
    expect((await counted(`/cached/shared/${key}?cc=max-age%3D60&cookie=0`)).body?.hit).toBe(1);
    for (const status of [500, 503, 404]) {
      const path = `/cached/shared/${randomUUID()}?status=${status}`;
      await counted(path);
      const again = await send(path);
      expect(again.status).toBe(status);
      expect(again.json<Counted>().hit, `status ${status}`).toBe(status === 404 ? 1 : 2);
    }
    const refused = await send(`/cached/mine/${key}`);
    expect(refused.status).toBe(401);
    expect((await counted(`/cached/mine/${key}`, as("alice"))).body?.["x-consumer-id"]).toBe("alice");
    expect((await send(`/cached/mine/${key}/account.css`, { headers: as("bob") })).status).toBe(404);
  });
});
