import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContext, finishResponse } from "../../runtime/context.ts";
import { GatewayError } from "../../runtime/errors.ts";
import type { Consumer } from "../../runtime/types.ts";
import type { QuotaSettings } from "./counter.ts";
import { freezeClockPerTest } from "../../../test/support/clock.ts";
import { hooksOf } from "../../../test/support/hooks.ts";
import { quota } from "./quota.ts";

// The clock stands still through each test, so the period's end is compared to the second.
freezeClockPerTest();

const settings = (extra: Partial<QuotaSettings> = {}): QuotaSettings => ({
  instance: `test-${crypto.randomUUID()}`,
  name: "monthly",
  limit: 2,
  period: "month",
  binding: "QUOTA",
  failMode: "closed",
  ...extra,
});

/** Runs the policy's inbound hook for a consumer: its status (200 when it lets the request on) and response headers. */
async function run(options: QuotaSettings, consumer: Consumer) {
  const ctx = createContext({
    route: { operationId: "t", method: "GET", path: "/" },
    params: {},
    env: env as unknown as Record<string, unknown>,
    requestId: "r",
    waitUntil: () => {},
  });
  ctx.consumer = consumer;
  let status = 200;
  let headers = new Headers();
  try {
    const { instance, name, ...rest } = options;
    await hooksOf(quota, rest, { instance, name }).inbound!(new Request("https://api.example.com/"), ctx);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    status = error.kind.status;
    headers = new Headers(error.headers);
  }
  const finished = finishResponse(new Response(null, { status, headers }), ctx);
  return { status, headers: finished.headers };
}

const visitor = (tier?: string, metadata: Record<string, unknown> = {}): Consumer => ({ id: "visitor-1", scopes: [], tier, metadata });

describe("quota", () => {
  it("a consumer moved to a larger tier mid-period keeps its count and gets the rest of the new limit", async () => {
    const options = settings({ tiers: { pro: { limit: 5 } } });
    const free = [];
    for (let i = 0; i < 3; i++) free.push((await run(options, visitor("free"))).status);
    expect(free).toEqual([200, 200, 429]);
    const pro = await run(options, visitor("pro"));
    expect(pro.status).toBe(200);
    expect(pro.headers.get("ratelimit")).toMatch(/^"monthly";r=2;t=\d+$/);
    expect(pro.headers.get("ratelimit-policy")).toMatch(/^"monthly";q=5;w=\d+$/);
  });

  it("an anchor field that is missing or holds no date leaves the consumer on calendar months", async () => {
    const now = new Date();
    const nextFirst = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    for (const [anchor, metadata] of [
      ["signedUp", { signedUp: 20260115 }],
      ["signedUp", { signedUp: "yesterday" }],
      ["signedUp", { signedUp: "2026-02-30" }],
      ["joinedAt", { signedUp: "2026-01-15T12:00:00Z" }],
    ] as const) {
      const { status, headers } = await run(settings({ anchor }), visitor(undefined, metadata));
      expect(status).toBe(200);
      const t = Number(/;t=(\d+)$/.exec(headers.get("ratelimit")!)![1]);
      expect(t, JSON.stringify(metadata)).toBe(Math.ceil((nextFirst - Date.now()) / 1000));
    }
  });
});
