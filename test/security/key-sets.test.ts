/**
 * A. Authentication, the key sets behind the JWT schemes (A12–A13): unknown
 * key ids cannot make the gateway hammer the identity provider, and a key the
 * provider adds is picked up with one fetch. Fetches are counted by the
 * identity provider itself, per key set.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { controlPost, identitySaw, pool, send, tag, upstreamSaw } from "./support/gateway.ts";
import { count } from "./support/profile.ts";
import { keys, token } from "./support/tokens.ts";

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
const fetchesOf = async (keySet: string) => (await identitySaw()).fetches[keySet] ?? 0;

describe("A. Authentication: key sets", () => {
  it("A12: 100 concurrent requests with one unknown kid → all 401, sharing one key-set fetch", async () => {
    expect((await send("/shared-miss", { headers: bearer(await token()) })).status).toBe(200);
    // The scheme's cooldown is 5 s, longer than the burst takes even on a busy machine: past it, an unknown kid may cause one refetch.
    await sleep(5100);
    const before = await fetchesOf("shared-miss");
    const caseTag = tag("A12");
    const unknown = await token({}, { header: { kid: "not-published-yet" } });
    const answers = await Promise.all(Array.from({ length: 100 }, () => send("/shared-miss", { headers: bearer(unknown), tag: caseTag })));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 401));
    expect((await fetchesOf("shared-miss")) - before).toBe(1);
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
  });

  it(`A12: a storm of ${count(200, 1000)} random unknown kids → all 401, at most one key-set fetch per 30 s cooldown`, async () => {
    expect((await send("/storm", { headers: bearer(await token()) })).status).toBe(200);
    const before = await fetchesOf("storm");
    const caseTag = tag("A12");
    const tokens = await Promise.all(Array.from({ length: count(200, 1000) }, () => token({}, { header: { kid: randomUUID() } })));
    const started = Date.now();
    const statuses = await pool(tokens.length, 32, async (i) => (await send("/storm", { headers: bearer(tokens[i]), tag: caseTag })).status);
    const seconds = (Date.now() - started) / 1000;
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect((await fetchesOf("storm")) - before).toBeLessThanOrEqual(Math.floor(seconds / 30) + 1);
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
    // The known key still works after the storm.
    expect((await send("/storm", { headers: bearer(await token()) })).status).toBe(200);
  });

  it("A13: the key set gains a key; a token with its kid → 200 after exactly one refetch, and the old key keeps working", async () => {
    expect((await send("/rotating", { headers: bearer(await token()) })).status).toBe(200);
    await controlPost("/identity/rotate");
    await sleep(1100);
    const before = await fetchesOf("rotating");
    const rotated = await token({}, { key: keys.next });
    expect((await send("/rotating", { headers: bearer(rotated) })).status).toBe(200);
    expect((await fetchesOf("rotating")) - before).toBe(1);
    expect((await send("/rotating", { headers: bearer(rotated) })).status).toBe(200);
    expect((await send("/rotating", { headers: bearer(await token()) })).status).toBe(200);
    expect((await fetchesOf("rotating")) - before).toBe(1);
  });
});
