/**
 * F4, F5, F7: credentials that cannot be checked. A KV namespace whose reads
 * fail or never end, and a JWKS that breaks off mid-body or answers too late:
 * 503 with Retry-After, never 200 (nobody let in) nor 500, and nothing of the
 * failure in the body; keys and consumers read before the outage keep serving.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import gateway from "../../.generated/faults/app.ts";
import { call, problemOf } from "../../support/call.ts";
import { storeConsumer } from "../../support/consumers.ts";
import { faultyKv, logsOf } from "../../support/faults.ts";
import { authUrl, hits, keys, token } from "../../support/tokens.ts";
import type { JwksMode } from "../../support/fault-routes.ts";

async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(await response.clone().text()).not.toMatch(/KV|timed out|JSON|unreachable|\n\s+at /);
  expect((await problemOf(response)).detail).toBe("Credentials cannot be checked right now. Retry shortly.");
}

describe("F7: the consumers' KV namespace fails", () => {
  const withKey = async () => ({ "x-api-key": await storeConsumer({ id: `faults-${crypto.randomUUID()}` }), "x-probe": crypto.randomUUID() });

  for (const fault of ["reject", "hang"] as const) {
    it(
      `F7: a read that ${fault === "reject" ? "fails" : "never ends"}: 503, the upstream never called; the next request after the outage reads again`,
      { timeout: 20_000 },
      async () => {
        const headers = await withKey();
        const kv = faultyKv(env.CONSUMERS, fault);
        const logs = await logsOf(async () => {
          await expectUnavailable(await call(gateway, "/keyed", { headers }, { ...env, CONSUMERS: kv.namespace }));
        });
        expect(kv.reads()).toBe(1);
        const logged = logs.filter((line) => line.level === "error");
        expect(logged).toEqual([
          expect.objectContaining({ message: "consumers unavailable", reason: expect.stringMatching(fault === "hang" ? /timed out/ : /KV GET failed/) }),
        ]);
        expect(await hits(headers["x-probe"])).toBe(0);
        expect((await call(gateway, "/keyed", { headers })).status).toBe(200);
        expect(await hits(headers["x-probe"])).toBe(1);
      },
    );
  }

  it("F7: a key read before the outage keeps working from the isolate's cache; a malformed key is refused without a read", async () => {
    const headers = await withKey();
    expect((await call(gateway, "/keyed", { headers })).status).toBe(200);
    const kv = faultyKv(env.CONSUMERS, "reject");
    const bindings = { ...env, CONSUMERS: kv.namespace };
    expect((await call(gateway, "/keyed", { headers }, bindings)).status).toBe(200);
    expect((await call(gateway, "/keyed", { headers: { ...headers, "x-api-key": "ptk_not-a-key" } }, bindings)).status).toBe(401);
    expect(kv.reads()).toBe(0);
    expect(await hits(headers["x-probe"])).toBe(2);
  });
});

describe("F4, F5: the JWKS breaks off or answers too late", () => {
  /** A key set of its own (so no isolate has it cached yet), served as `mode` says. */
  async function keySet(mode: JwksMode) {
    const id = crypto.randomUUID();
    await fetch(`${authUrl}/control/faults/jwks/${id}/${mode}`);
    return {
      bindings: { ...env, FAULTY_JWKS_URL: `${authUrl}/faults/jwks/${id}` },
      serve: async (next: JwksMode) => void (await fetch(`${authUrl}/control/faults/jwks/${id}/${next}`)),
      fetches: async () => ((await (await fetch(`${authUrl}/control/faults/jwks/${id}`)).json()) as { fetches: number }).fetches,
    };
  }

  const send = async (bindings: object, probe: string, claims: Record<string, unknown> = {}, options: Parameters<typeof token>[1] = {}) =>
    call(gateway, "/token", { headers: { authorization: `Bearer ${await token(claims, options)}`, "x-probe": probe } }, bindings);

  for (const mode of ["reset", "reset-chunked", "slow-headers", "slow-body"] as const) {
    it(
      `${mode.startsWith("slow") ? "F4" : "F5"}: cold isolate, a key set that is ${mode}: 503, never 200 or 500, and the upstream never called`,
      { timeout: 20_000 },
      async () => {
        const { bindings, fetches } = await keySet(mode);
        const probe = crypto.randomUUID();
        await expectUnavailable(await send(bindings, probe));
        expect(await fetches()).toBe(1);
        expect(await hits(probe)).toBe(0);
      },
    );
  }

  it("F4: warm isolate: when a refresh breaks off, the cached keys keep serving; a token no cached key signed is refused", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const { bindings, serve, fetches } = await keySet("healthy");
      const probe = crypto.randomUUID();
      expect((await send(bindings, probe)).status).toBe(200);
      await serve("reset");
      // Past the 10 minutes fetched keys are trusted without a refresh: this request refreshes, and the refresh fails.
      vi.setSystemTime(Date.now() + 11 * 60_000);
      expect((await send(bindings, probe)).status).toBe(200);
      expect(await fetches()).toBe(2);
      // An unknown kid refetches (past the 1 s cooldown), fails again, and the token is refused as any bad one.
      vi.setSystemTime(Date.now() + 2_000);
      const unknown = await send(bindings, probe, {}, { key: keys.next });
      expect([unknown.status, await fetches()]).toEqual([401, 3]);
      expect((await send(bindings, probe)).status).toBe(200);
      expect(await hits(probe)).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
