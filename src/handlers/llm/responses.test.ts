import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import llmGateway from "../../../test/.generated/llm/app.ts";
import { call } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import { PROVIDER_HEADER } from "./provider-call.ts";

/** Fresh fake providers for one test: `main` (OpenAI-style) and `backup` (Anthropic-style) answer as their mode says. */
function providers(main: string) {
  const tag = crypto.randomUUID();
  const base = env.LLM_PROVIDERS_URL;
  return {
    env: { ...env, LLM_MAIN_URL: `${base}/openai/${main}/${tag}-main/v1`, LLM_BACKUP_URL: `${base}/anthropic/ok/${tag}-backup/v1` },
    received: async (which: "main" | "backup") => (await (await fetch(`${base}/_received/${tag}-${which}`)).json()) as Array<{ path: string; body: any }>,
  };
}

const paid = async () => ({ "x-api-key": await storeConsumer({ id: `llm-${crypto.randomUUID()}`, tier: "paid" }), "content-type": "application/json" });

const IMAGE = "data:image/png;base64,iVBORw0KGgo=";
const request = (extra: object = {}) =>
  JSON.stringify({
    model: "whatever-the-caller-says",
    instructions: "Be brief.",
    input: [
      {
        role: "user",
        content: [
          { type: "input_text", text: "What is this?" },
          { type: "input_image", image_url: IMAGE },
        ],
      },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "A pixel." }] },
      { role: "user", content: "Sure?" },
      { type: "function_call_output", call_id: "call_1", output: "left out" },
    ],
    max_output_tokens: 50,
    temperature: 0.2,
    ...extra,
  });

/** The events of a Responses stream, by name. */
const eventNames = (text: string) => [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);

describe("llm serving OpenAI's Responses API", () => {
  it("passes the request to an OpenAI-style provider's /responses as it is, but for the model", async () => {
    const { env: bindings, received } = providers("ok");
    const response = await call(llmGateway, "/v1/responses", { method: "POST", headers: await paid(), body: request({ stream: true }) }, bindings);
    expect(response.headers.get(PROVIDER_HEADER)).toBe("main");
    const events = eventNames(await response.text());
    expect(events[0]).toBe("response.created");
    expect(events.at(-1)).toBe("response.completed");
    const [sent] = await received("main");
    expect(sent.path).toMatch(/\/v1\/responses$/);
    expect(sent.body).toEqual({ ...JSON.parse(request({ stream: true })), model: "gpt-4o-mini" });
  });

  it("translates the request into Anthropic's Messages and the answer into a Responses object", async () => {
    const { env: bindings, received } = providers("status-503");
    const response = await call(llmGateway, "/v1/responses", { method: "POST", headers: await paid(), body: request() }, bindings);
    expect(response.headers.get(PROVIDER_HEADER)).toBe("backup");
    expect(await response.json()).toMatchObject({
      object: "response",
      status: "completed",
      instructions: "Be brief.",
      output: [{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Hello from the provider" }] }],
      usage: { input_tokens: 13, output_tokens: 5, total_tokens: 18 },
    });
    const [sent] = await received("backup");
    expect(sent.body).toEqual({
      model: "claude-haiku-4-5",
      system: [{ type: "text", text: "Be brief." }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          ],
        },
        { role: "assistant", content: [{ type: "text", text: "A pixel." }] },
        { role: "user", content: [{ type: "text", text: "Sure?" }] },
      ],
      max_tokens: 50,
      temperature: 0.2,
    });
  });

  it("translates Anthropic's stream into the Responses events, in order", async () => {
    const { env: bindings } = providers("status-503");
    const response = await call(llmGateway, "/v1/responses", { method: "POST", headers: await paid(), body: request({ stream: true }) }, bindings);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(eventNames(text)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      ...Array(3).fill("response.output_text.delta"),
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const last = JSON.parse(text.trim().split("\n").at(-1)!.slice("data: ".length));
    expect(last).toMatchObject({ type: "response.completed", sequence_number: 10, response: { status: "completed", usage: { total_tokens: 18 } } });
  });

  it("refuses a body without an input with a 400 problem, calling no provider", async () => {
    const { env: bindings, received } = providers("ok");
    for (const body of ["{", '{"input":[]}', '{"model":"x"}', '{"input":3}']) {
      const response = await call(llmGateway, "/v1/responses", { method: "POST", headers: await paid(), body }, bindings);
      expect(response.status, body).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/problem\+json/);
    }
    expect(await received("main")).toEqual([]);
  });
});
