import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import llmGateway from "../../../test/.generated/llm/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import { PROVIDER_HEADER } from "./provider-call.ts";

const KEYS = [env.LLM_MAIN_KEY, env.LLM_BACKUP_KEY];

/** Each test's providers: fresh tags, so what they received is the test's alone; `main` and `backup` answer as their mode says. */
function providers(main: string, backup = "ok") {
  const tag = crypto.randomUUID();
  const base = env.LLM_PROVIDERS_URL;
  return {
    env: { ...env, LLM_MAIN_URL: `${base}/openai/${main}/${tag}-main/v1`, LLM_BACKUP_URL: `${base}/anthropic/${backup}/${tag}-backup/v1` },
    received: async (which: "main" | "backup") =>
      (await (await fetch(`${base}/_received/${tag}-${which}`)).json()) as Array<{ headers: Record<string, string>; body: any }>,
  };
}

const paid = async () => ({ "x-api-key": await storeConsumer({ id: `llm-${crypto.randomUUID()}`, tier: "paid" }), "content-type": "application/json" });

const chat = (extra: object = {}) =>
  JSON.stringify({
    model: "whatever-the-caller-says",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hello?" },
    ],
    ...extra,
  });

/** The whole answer, checked to hold neither provider key. */
async function keyless(response: Response): Promise<string> {
  const text = await response.text();
  for (const key of KEYS) {
    expect(text).not.toContain(key);
    for (const [, value] of response.headers) expect(value).not.toContain(key);
  }
  return text;
}

describe("llm", () => {
  it("sends the first provider the request in its API, with its key and model and none of the caller's headers", async () => {
    const { env: bindings, received } = providers("ok");
    const headers = { ...(await paid()), cookie: "session=caller", "x-custom": "caller" };
    const response = await call(llmGateway, "/v1/chat/completions", { method: "POST", headers, body: chat() }, bindings);
    expect(response.status).toBe(200);
    expect(response.headers.get(PROVIDER_HEADER)).toBe("main");
    expect(response.headers.get("openai-organization")).toBeNull();
    expect(JSON.parse(await keyless(response))).toMatchObject({ object: "chat.completion", choices: [{ message: { content: "Hello from the provider" } }] });
    const [sent] = await received("main");
    expect(sent.headers.authorization).toBe(`Bearer ${env.LLM_MAIN_KEY}`);
    expect(sent.body.model).toBe("gpt-4o-mini");
    for (const name of ["x-api-key", "cookie", "x-custom"]) expect(sent.headers[name], name).toBeUndefined();
    expect(await received("backup")).toEqual([]);
  });

  it("falls back after a listed status, translating the request into Anthropic's Messages", async () => {
    const { env: bindings, received } = providers("status-503");
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const response = await call(llmGateway, "/v1/chat/completions", { method: "POST", headers: await paid(), body: chat({ tools, max_tokens: 50 }) }, bindings);
    expect(response.status).toBe(200);
    expect(response.headers.get(PROVIDER_HEADER)).toBe("backup");
    const completion = JSON.parse(await keyless(response));
    expect(completion.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "toolu_fake", type: "function", function: { name: "get_weather", arguments: '{"city":"Cork"}' } }],
      },
    });
    expect(completion.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 5, total_tokens: 18 });
    const [sent] = await received("backup");
    expect(sent.headers["x-api-key"]).toBe(env.LLM_BACKUP_KEY);
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({
      model: "claude-haiku-4-5",
      max_tokens: 50,
      system: [{ type: "text", text: "Be brief." }],
      messages: [{ role: "user", content: [{ type: "text", text: "Hello?" }] }],
      tools: [{ name: "get_weather", input_schema: tools[0].function.parameters }],
    });
  });

  it("falls back when a provider has not answered within the timeout, and answers 504 when timeout is not listed", async () => {
    const hanging = providers("hang");
    const response = await call(llmGateway, "/fast/v1/chat/completions", { method: "POST", headers: await paid(), body: chat() }, hanging.env);
    expect(response.headers.get(PROVIDER_HEADER)).toBe("backup");
    expect((await hanging.received("backup")).length).toBe(1);
    const unlisted = providers("hang");
    const refused = await call(llmGateway, "/no-timeout-fallback/v1/chat/completions", { method: "POST", headers: await paid(), body: chat() }, unlisted.env);
    expect(refused.status).toBe(504);
    expect((await problemOf(refused)).detail).toBe("No provider answered within 1000 ms.");
    expect(await unlisted.received("backup")).toEqual([]);
  });

  it("falls back when a stream sends headers and no event in time, and never after the caller got a byte", async () => {
    const stalled = providers("stall");
    const streamed = await call(llmGateway, "/fast/v1/chat/completions", { method: "POST", headers: await paid(), body: chat({ stream: true }) }, stalled.env);
    expect(streamed.headers.get(PROVIDER_HEADER)).toBe("backup");
    expect(await streamed.text()).toContain('"content":"Hello"');
    const cut = providers("cut");
    const broken = await call(llmGateway, "/v1/chat/completions", { method: "POST", headers: await paid(), body: chat({ stream: true }) }, cut.env);
    expect(broken.status).toBe(200);
    expect(broken.headers.get(PROVIDER_HEADER)).toBe("main");
    const text = await keyless(broken);
    expect(text).toContain('"role":"assistant"');
    expect(text).toContain('"type":"provider_error"');
    expect(await cut.received("backup")).toEqual([]);
  });

  it("passes on a status not listed, and the last provider's error when all fail, in OpenAI's shape without the key", async () => {
    const badRequest = providers("status-400");
    const response = await call(llmGateway, "/v1/chat/completions", { method: "POST", headers: await paid(), body: chat() }, badRequest.env);
    expect(response.status).toBe(400);
    expect(JSON.parse(await keyless(response)).error.message).toContain("[redacted]");
    expect(await badRequest.received("backup")).toEqual([]);
    const allDown = providers("status-503", "status-529");
    const last = await call(llmGateway, "/v1/chat/completions", { method: "POST", headers: await paid(), body: chat() }, allDown.env);
    expect(last.status).toBe(529);
    expect(last.headers.get(PROVIDER_HEADER)).toBe("backup");
    expect(JSON.parse(await keyless(last))).toMatchObject({ error: { type: "api_error", message: expect.stringContaining("[redacted]") } });
  });

  it("answers 502 when a provider refuses the gateway's key, never the provider's 401", async () => {
    const refused = providers("status-401");
    const response = await call(llmGateway, "/no-timeout-fallback/v1/chat/completions", { method: "POST", headers: await paid(), body: chat() }, refused.env);
    expect(response.status).toBe(502);
    expect(JSON.parse(await keyless(response)).error).toMatchObject({
      type: "provider_auth_error",
      message: "The provider main refused the gateway's credentials.",
    });
  });

  it("refuses a body that is not a chat request with a 400 problem, calling no provider", async () => {
    const { env: bindings, received } = providers("ok");
    for (const body of ["{", '{"messages":[]}', '{"model":"x"}']) {
      const response = await call(llmGateway, "/v1/chat/completions", { method: "POST", headers: await paid(), body }, bindings);
      expect(response.status, body).toBe(400);
    }
    expect(await received("main")).toEqual([]);
  });

  it("passes embeddings through to an OpenAI-style provider", async () => {
    const { env: bindings, received } = providers("ok");
    const response = await call(
      llmGateway,
      "/v1/embeddings",
      { method: "POST", headers: await paid(), body: JSON.stringify({ model: "x", input: ["a", "b"] }) },
      bindings,
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(await keyless(response))).toMatchObject({ object: "list", data: [{ index: 0 }, { index: 1 }], usage: { prompt_tokens: 4 } });
    expect((await received("main"))[0].body).toEqual({ model: "text-embedding-3-small", input: ["a", "b"] });
  });

  it("records each consumer's tokens in the usage ledger, a stream's once it has ended", async () => {
    const { env: bindings } = providers("status-503");
    const id = `llm-usage-${crypto.randomUUID()}`;
    const headers = { "x-api-key": await storeConsumer({ id }), "content-type": "application/json" };
    const response = await call(llmGateway, "/recorded/v1/chat/completions", { method: "POST", headers, body: chat({ stream: true }) }, bindings);
    expect(response.headers.get(PROVIDER_HEADER)).toBe("backup");
    await response.text();
    const admin = { authorization: `Bearer ${env.PORTICO_ADMIN_TOKEN}` };
    let rows: Array<{ group: string; requests: number; tokens?: number }> = [];
    // The point goes to the ledger with the isolate's next batch, a second after the stream ended.
    for (let attempt = 0; attempt < 40 && rows.length === 0; attempt++) {
      await scheduler.wait(100);
      rows = ((await (await call(llmGateway, `/_portico/usage?since=1h&consumer=${id}`, { headers: admin })).json()) as { rows: typeof rows }).rows;
    }
    expect(rows).toEqual([expect.objectContaining({ group: "chatRecorded", requests: 1, tokens: 18 })]);
  });
});
