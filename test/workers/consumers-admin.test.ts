/**
 * The consumers admin routes (/_portico/consumers/…) of a compiled gateway whose apiKey
 * scheme reads CONSUMERS: a key made through them opens the API at once, a rotation lets
 * the old key work through its grace, a revoked key is refused once the isolate's minute
 * of trust has passed, and anyone without the admin token gets the router's 404.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import example from "../.generated/example/app.ts";
import { call, problemOf } from "../support/call.ts";
import { elapse, freezeClockPerTest } from "../support/clock.ts";

const ADMIN = { authorization: `Bearer ${env.PORTICO_ADMIN_TOKEN}`, "content-type": "application/json" };
const consumer = () => `acme-${crypto.randomUUID().slice(0, 8)}`;

function admin(path: string, body?: unknown) {
  return call(example, `/_portico/consumers${path}`, body === undefined ? { headers: ADMIN } : { method: "POST", headers: ADMIN, body: JSON.stringify(body) });
}

/** Buys a ticket, which takes an API key: 201 with a working one. */
async function buy(key: string): Promise<number> {
  const response = await call(example, "/v1/tickets", {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: JSON.stringify({ date: "2026-12-01", type: "adult" }),
  });
  await response.body?.cancel();
  return response.status;
}

interface Issued {
  key: string;
  keyId: string;
  id: string;
  tier?: string;
  keyPreview: string;
}

describe("the consumers admin routes", () => {
  freezeClockPerTest();

  it("creates a key that works against the API at once, and lists it without the key", async () => {
    const id = consumer();
    const created = await admin(`/${id}/keys`, { name: "ci", tier: "paid", scopes: ["exhibits:write"] });
    expect(created.status).toBe(201);
    const issued = (await created.json()) as Issued;
    expect(issued).toMatchObject({ id, name: "ci", tier: "paid", scopes: ["exhibits:write"] });
    expect(issued.key).toMatch(/^ptk_[0-9A-Za-z]{36}$/);
    expect(await buy(issued.key)).toBe(201);

    const listed = (await (await admin(`/${id}/keys`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(listed.keys).toEqual([expect.objectContaining({ keyId: issued.keyId, id, keyPreview: issued.keyPreview, status: "active" })]);
    expect(JSON.stringify(listed)).not.toContain(issued.key);
    const all = (await (await admin(`?consumer=${id}`)).json()) as { keys: unknown[] };
    expect(all.keys).toHaveLength(1);
  });

  it("rotates: the old key works through its grace and not after, the new one at once", async () => {
    const id = consumer();
    const { key: old, keyId } = (await (await admin(`/${id}/keys`, { tier: "free" })).json()) as Issued;
    expect(await buy(old)).toBe(201);
    const rotated = await admin(`/${id}/keys/rotate`, { graceSeconds: 3600 });
    expect(rotated.status).toBe(200);
    const answer = (await rotated.json()) as Issued & { previous: Array<{ keyId: string; revoked: boolean; expiresAt: string }> };
    expect(answer.tier).toBe("free");
    expect(answer.previous).toEqual([expect.objectContaining({ keyId, revoked: false })]);
    expect(await buy(answer.key)).toBe(201);
    expect(await buy(old)).toBe(201);
    elapse(3601_000);
    expect(await buy(old)).toBe(401);
    expect(await buy(answer.key)).toBe(201);
  });

  it("revokes by consumer, by key and by preview; a revoked key is refused within the isolate's minute of trust", async () => {
    const id = consumer();
    const first = (await (await admin(`/${id}/keys`, {})).json()) as Issued;
    const second = (await (await admin(`/${id}/keys`, {})).json()) as Issued;
    const third = (await (await admin(`/${id}/keys`, {})).json()) as Issued;
    expect(await buy(first.key)).toBe(201);

    const byKey = await admin("/revoke", { key: first.key });
    expect(await byKey.json()).toEqual({ revoked: [{ keyId: first.keyId, keyPreview: first.keyPreview, consumer: id }] });
    // The isolate trusted what it read for up to 60 s (consumer-store.ts); past that, the key is gone.
    elapse(61_000);
    expect(await buy(first.key)).toBe(401);

    const byPreview = (await (await admin(`/${id}/keys/revoke`, { preview: second.keyPreview })).json()) as { revoked: unknown[] };
    expect(byPreview.revoked).toHaveLength(1);
    const rest = (await (await admin(`/${id}/keys/revoke`, {})).json()) as { revoked: Array<{ keyId: string }> };
    expect(rest.revoked.map((r) => r.keyId)).toEqual([third.keyId]);
    // Never used, so never trusted: refused at once.
    expect(await buy(third.key)).toBe(401);
    expect((await (await admin(`/${id}/keys`)).json()) as unknown).toEqual({ keys: [] });
  });

  it("refuses what it cannot act on with a problem that says why", async () => {
    const id = consumer();
    const bad = await admin(`/${id}/keys`, { tier: "no spaces allowed", colour: "red" });
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).detail).toContain('Unknown member "colour"');
    const nothing = await admin(`/${id}/keys/rotate`, {});
    expect(nothing.status).toBe(404);
    expect((await problemOf(nothing)).detail).toContain("no working key");
    expect((await admin("/revoke", { key: "ptk_not-a-key" })).status).toBe(400);
    expect((await admin(`/${id}/keys/rotate`, { graceSeconds: -1 })).status).toBe(400);
  });

  it("answers 404, as for a path that does not exist, without the admin token or with a wrong one", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong-token-wrong-token-wrong-token" }] as Record<string, string>[]) {
      const listing = await call(example, "/_portico/consumers", { headers });
      expect(listing.status).toBe(404);
      expect((await problemOf(listing)).detail).toBe("No operation matches GET /_portico/consumers.");
      const created = await call(example, "/_portico/consumers/eve/keys", {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: "{}",
      });
      expect(created.status).toBe(404);
    }
    expect((await (await admin("?consumer=eve")).json()) as unknown).toEqual({ keys: [] });
  });
});
