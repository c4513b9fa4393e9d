/**
 * The admin routes' guard: a token too short keeps them closed, and an
 * address that guesses wrong 10 times in a minute is not heard for the rest
 * of it (the same 404 as everyone else).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { FAILED_ATTEMPTS_PER_MINUTE, MIN_ADMIN_TOKEN_LENGTH } from "../../src/runtime/admin-guard.ts";
import quota from "../.generated/quota/app.ts";
import { elapse, freezeClockPerTest } from "../support/clock.ts";

async function ask(token: string, address: string, changes: Record<string, unknown> = {}) {
  const ctx = createExecutionContext();
  const headers = { authorization: `Bearer ${token}`, "cf-connecting-ip": address };
  const response = await quota.fetch(new Request("https://api.example.com/_portico/quota/someone", { headers }), { ...env, ...changes }, ctx);
  await waitOnExecutionContext(ctx);
  return response.status;
}

describe("the admin routes' guard", () => {
  freezeClockPerTest();

  it("the test token is long enough to open the routes", async () => {
    expect(env.PORTICO_ADMIN_TOKEN.length).toBeGreaterThanOrEqual(MIN_ADMIN_TOKEN_LENGTH);
    expect(await ask(env.PORTICO_ADMIN_TOKEN, "192.0.2.1")).toBe(200);
  });

  it("keeps the routes closed to the right token when it is shorter than 32 characters, and says so once in the log", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const short = "x".repeat(MIN_ADMIN_TOKEN_LENGTH - 1);
    expect(await ask(short, "192.0.2.2", { PORTICO_ADMIN_TOKEN: short })).toBe(404);
    expect(await ask(short, "192.0.2.2", { PORTICO_ADMIN_TOKEN: short })).toBe(404);
    const lines = warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes("PORTICO_ADMIN_TOKEN"));
    warn.mockRestore();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: "warn", message: expect.stringContaining("fewer than 32") });
  });

  it("does not hear an address for the rest of the minute after 10 wrong tokens, while others are heard", async () => {
    const guesser = "2001:db8:9::1";
    for (let attempt = 0; attempt < FAILED_ATTEMPTS_PER_MINUTE; attempt++) expect(await ask(`wrong-${attempt}`, guesser)).toBe(404);
    expect(await ask(env.PORTICO_ADMIN_TOKEN, guesser)).toBe(404);
    expect(await ask(env.PORTICO_ADMIN_TOKEN, "2001:db8:a::1")).toBe(200);
    elapse(59_000);
    expect(await ask(env.PORTICO_ADMIN_TOKEN, guesser)).toBe(404);
    elapse(1_000);
    expect(await ask(env.PORTICO_ADMIN_TOKEN, guesser)).toBe(200);
  });

  it("lets 9 wrong tokens pass unpunished: the right one still opens", async () => {
    const typo = "198.51.100.7";
    for (let attempt = 0; attempt < FAILED_ATTEMPTS_PER_MINUTE - 1; attempt++) await ask(`${env.PORTICO_ADMIN_TOKEN}-${attempt}`, typo);
    expect(await ask(env.PORTICO_ADMIN_TOKEN, typo)).toBe(200);
  });
});
