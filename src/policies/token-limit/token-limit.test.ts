import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import llmGateway from "../../../test/.generated/llm/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { elapse, freezeClockPerTest } from "../../../test/support/clock.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import { FAKE_USAGE } from "../../../test/support/llm-providers.ts";
import { estimatePromptTokens } from "./estimate.ts";

// The clock stands still through each test: the buckets do not drain, so counts compare exactly.
freezeClockPerTest();

const OPENAI_TOTAL = FAKE_USAGE.openai.prompt + FAKE_USAGE.openai.completion;
const ANTHROPIC_TOTAL = FAKE_USAGE.anthropic.prompt + FAKE_USAGE.anthropic.completion;

async function caller(tier?: string) {
  const id = `tokens-${crypto.randomUUID()}`;
  const headers = { "x-api-key": await storeConsumer({ id, tier }), "content-type": "application/json" };
  const tag = crypto.randomUUID();
  const base = env.LLM_PROVIDERS_URL;
  const bindings = (main = "ok") => ({
    ...env,
    LLM_MAIN_URL: `${base}/openai/${main}/${tag}-main/v1`,
    LLM_BACKUP_URL: `${base}/anthropic/ok/${tag}-backup/v1`,
  });
  const counter = env.TOKEN_LIMIT.get(env.TOKEN_LIMIT.idFromName(`/x-portico/policies/tokens\u0000consumer:${id}`));
  return {
    send: (body: object, main?: string) => call(llmGateway, "/v1/chat/completions", { method: "POST", headers, body: JSON.stringify(body) }, bindings(main)),
    received: async () => (await (await fetch(`${base}/_received/${tag}-main`)).json()) as Array<{ body: any }>,
    /** The tokens the counter holds once the answer's count has settled (it settles after the stream's last byte). */
    async spent(budget: number, expected: number) {
      let spent = NaN;
      for (let attempt = 0; attempt < 50 && spent !== expected; attempt++) {
        if (attempt > 0) await scheduler.wait(20);
        spent = budget - (await counter.reserve(budget, 3600, 0)).remaining;
      }
      return spent;
    },
  };
}

/** A one-message chat whose estimate is exactly `tokens`. */
function chatOf(tokens: number, extra: object = {}) {
  const body = { model: "m", messages: [{ role: "user", content: "x".repeat((tokens - 7) * 4) }], ...extra };
  expect(estimatePromptTokens(body)).toBe(tokens);
  return body;
}

describe("token-limit", () => {
  it("counts a streamed answer's tokens exactly, from the provider's last event, whichever provider answers", async () => {
    const paid = await caller("paid");
    const streamed = await paid.send(chatOf(20, { stream: true }));
    expect(streamed.headers.get("ratelimit-policy")).toBe('"tokens";q=1000;w=3600;qu="tokens"');
    expect(streamed.headers.get("ratelimit")).toBe('"tokens";r=980;t=72');
    const text = await streamed.text();
    // The gateway asked for the usage chunk; the caller did not, and does not get it.
    expect((await paid.received())[0].body.stream_options).toEqual({ include_usage: true });
    expect(text).not.toContain("usage");
    expect(await paid.spent(1000, OPENAI_TOTAL)).toBe(OPENAI_TOTAL);

    const translated = await paid.send(chatOf(30, { stream: true, stream_options: { include_usage: true } }), "status-503");
    expect(translated.headers.get("x-portico-llm-provider")).toBe("backup");
    expect(await translated.text()).toContain(`"total_tokens":${ANTHROPIC_TOTAL}`);
    expect(await paid.spent(1000, OPENAI_TOTAL + ANTHROPIC_TOTAL)).toBe(OPENAI_TOTAL + ANTHROPIC_TOTAL);
  });

  it("refuses the request that would cross the budget before any provider is called, and admits the one that fills it", async () => {
    const free = await caller();
    expect((await free.send(chatOf(40))).status).toBe(200);
    expect(await free.spent(100, OPENAI_TOTAL)).toBe(OPENAI_TOTAL);
    const left = 100 - OPENAI_TOTAL;

    const refused = await free.send(chatOf(left + 1));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("36");
    expect(refused.headers.get("ratelimit")).toBe(`"tokens";r=${left};t=648`);
    expect((await problemOf(refused)).detail).toBe(`The token budget of 100 per 3600 s has ${left} left; the prompt needs about ${left + 1}. Retry in 36 s.`);
    expect((await free.received()).length).toBe(1);

    expect((await free.send(chatOf(left))).status).toBe(200);
    expect((await free.received()).length).toBe(2);
    expect(await free.spent(100, 2 * OPENAI_TOTAL)).toBe(2 * OPENAI_TOTAL);
  });

  it("refuses a prompt larger than the whole budget, whatever is left", async () => {
    const free = await caller();
    const refused = await free.send(chatOf(101));
    expect(refused.status).toBe(429);
    expect((await problemOf(refused)).detail).toBe("The prompt needs about 101 tokens, more than the whole budget of 100 tokens per 3600 s.");
    expect(await free.received()).toEqual([]);
  });

  it("gives the estimate back when no provider answers, and keeps it when a stream breaks off uncounted", async () => {
    const free = await caller();
    expect((await free.send(chatOf(30), "status-400")).status).toBe(400);
    expect(await free.spent(100, 0)).toBe(0);
    const cut = await free.send(chatOf(30, { stream: true }), "cut");
    expect(await cut.text()).toContain("provider_error");
    expect(await free.spent(100, 30)).toBe(30);
  });

  it("drains at the budget's rate, and an answer past the budget costs at most one budget more", async () => {
    const counter = env.TOKEN_LIMIT.get(env.TOKEN_LIMIT.idFromName(`drain-${crypto.randomUUID()}`));
    expect(await counter.reserve(100, 3600, 100)).toMatchObject({ allowed: true, remaining: 0, reset: 3600 });
    elapse(36_000); // one token drains every 36 s
    expect(await counter.reserve(100, 3600, 2)).toMatchObject({ allowed: false, remaining: 1, retryAfter: 36 });
    expect(await counter.reserve(100, 3600, 1)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await counter.settle(100, 3600, 10_000)).toMatchObject({ allowed: false, remaining: 0, reset: 7200 });
  });
});
