/**
 * B. Quotas (Q1, Q5): exactly the limit per consumer per day, concurrent
 * requests included, and the admin route that reads them open to the admin
 * token alone: everyone else gets the 404 of a path that does not exist.
 */
import { describe, expect, it } from "vitest";
import { expectProblem, send, suite, tag, upstreamSaw, type Answer } from "./support/gateway.ts";

/** Wrong tokens count against the address they come from: each case sends from its own. */
const admin = (path: string, headers: Record<string, string> = {}) =>
  send(`${suite.origin}/_portico/quota/${path}`, { headers: { "cf-connecting-ip": "198.19.0.1", ...headers } });
/** A 404's body without what differs per request. */
const shape = (answer: Answer) => {
  const { requestId: _, traceId: ____, instance: __, detail: ___, ...body } = answer.json();
  return { status: answer.status, type: answer.headers.get("content-type"), body };
};

describe("B. Quotas", () => {
  it("Q1: 10 concurrent requests against a quota of 3 a day → exactly 3 admitted, 3 upstream hits; another consumer is untouched", async () => {
    const caseTag = tag("Q1");
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => send("/quota/daily", { headers: { "x-api-key": suite.consumers.alice }, tag: caseTag })),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    for (const refused of answers.filter((answer) => answer.status !== 200)) {
      expectProblem(refused, 429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(await upstreamSaw(caseTag)).toHaveLength(3);
    expect((await send("/quota/daily", { headers: { "x-api-key": suite.consumers.carol } })).status).toBe(200);
  });

  it("Q5: without the admin token, with a wrong one or another scheme, the admin route is the 404 of a path that does not exist", async () => {
    const missing = shape(await send(`${suite.origin}/_portico/nothing-here`));
    expect(missing.status).toBe(404);
    const attempts = [
      await admin("alice"),
      await admin("alice", { authorization: `Bearer ${suite.adminToken.slice(0, -1)}` }),
      await admin("alice", { authorization: `Bearer ${suite.adminToken}x` }),
      await admin("alice", { authorization: `Basic ${btoa(`admin:${suite.adminToken}`)}` }),
      await admin("alice", { "x-api-key": suite.consumers.alice }),
      await admin("alice", { authorization: `bearer ${suite.adminToken.toUpperCase()}` }),
    ];
    for (const attempt of attempts) expect(shape(attempt)).toEqual(missing);
    const allowed = await admin("alice", { authorization: `Bearer ${suite.adminToken}` });
    expect(allowed.status).toBe(200);
    expect(allowed.json()).toMatchObject({ consumer: "alice" });
  });

  it("Q5: an address with 10 wrong tokens a minute is not heard for the rest of it, the right token included; other addresses are", async () => {
    const address = `198.19.${Math.floor(Math.random() * 255)}.7`;
    for (let i = 0; i < 10; i++) {
      expect((await admin("alice", { authorization: `Bearer wrong-${i}-${suite.adminToken}`, "cf-connecting-ip": address })).status).toBe(404);
    }
    expect((await admin("alice", { authorization: `Bearer ${suite.adminToken}`, "cf-connecting-ip": address })).status).toBe(404);
    expect((await admin("alice", { authorization: `Bearer ${suite.adminToken}`, "cf-connecting-ip": "198.19.255.1" })).status).toBe(200);
  });
});
