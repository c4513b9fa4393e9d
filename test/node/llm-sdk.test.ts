/**
 * The official OpenAI SDK (pinned at 7.5.0) against the llm handler and
 * token-limit, compiled, bundled by wrangler and served by workerd through
 * Miniflare on 127.0.0.1, in front of the fake OpenAI- and Anthropic-style
 * providers of test/support/llm-providers.ts (in this process, so a test
 * scripts how each answers). The SDK's API key is a consumer's key (tier
 * paid); the provider keys are Worker secrets the SDK never sees.
 */
import OpenAI from "openai";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type Gateway } from "../../bench/lib/gateway.ts";
import { generateApiKey } from "../../src/policies/authenticate/key-format.ts";
import { estimatePromptTokens } from "../../src/policies/token-limit/estimate.ts";
import { FAKE_USAGE, startLlmProviders, type FakeProviders } from "../support/llm-providers.ts";
import { tempProject } from "../support/temp-project.ts";

const API_KEY = generateApiKey();
const MAIN_KEY = "sk-main-secret-0123456789abcdef";
const BACKUP_KEY = "sk-ant-backup-secret-0123456789abcdef";
const TOKEN_COUNTER = fileURLToPath(new URL("../../src/policies/token-limit/token-counter.ts", import.meta.url).href);

/** The contract's llm options, as YAML lines indented by `indent` spaces. */
const providersOf = (timeout: number, indent: number) =>
  [
    "providers:",
    '  - { name: main, url: "${env.LLM_MAIN_URL}", key: "${env.LLM_MAIN_KEY}", api: openai, model: gpt-4o-mini }',
    '  - { name: backup, url: "${env.LLM_BACKUP_URL}", key: "${env.LLM_BACKUP_KEY}", api: anthropic, model: claude-haiku-4-5 }',
    "fallbackOn: [429, 500, 502, 503, 504, timeout]",
    `timeout: ${timeout}`,
  ]
    .map((line) => " ".repeat(indent) + line)
    .join("\n");

const DOCUMENT = `openapi: 3.1.0
info: { title: LLM, version: "1" }
components:
  securitySchemes:
    key: { type: http, scheme: bearer, x-portico: { credential: apiKey } }
  requestBodies:
    chat: { required: true, content: { application/json: { schema: { type: object } } } }
security: [{ key: [] }]
x-portico:
  policies:
    llm:
      use: llm
      options:
${providersOf(1500, 8)}
paths:
  /v1/chat/completions:
    post:
      requestBody: { $ref: "#/components/requestBodies/chat" }
      x-portico:
        handler: llm
        inbound: [{ use: token-limit, options: { tokens: 100000, window: 3600, by: consumer, tiers: { paid: { tokens: 2000000 } } } }]
      responses: { "200": { description: OK } }
  /metered/v1/chat/completions:
    post:
      requestBody: { $ref: "#/components/requestBodies/chat" }
      x-portico:
        handler:
          use: llm
          options:
${providersOf(30000, 12)}
        inbound: [{ use: token-limit, options: { tokens: 100000, by: consumer, name: metered, tiers: { paid: { tokens: 150, window: 31536000 } } } }]
      responses: { "200": { description: OK } }
  /v1/responses:
    post:
      requestBody: { $ref: "#/components/requestBodies/chat" }
      x-portico: { handler: llm }
      responses: { "200": { description: OK } }
  /metered/v1/responses:
    post:
      requestBody: { $ref: "#/components/requestBodies/chat" }
      x-portico:
        handler: llm
        inbound: [{ use: token-limit, options: { tokens: 100000, by: consumer, name: responses, tiers: { paid: { tokens: 150, window: 31536000 } } } }]
      responses: { "200": { description: OK } }
`;

let providers: FakeProviders;
let gateway: Gateway;
let project: string;
let openai: OpenAI;
let metered: OpenAI;
const logs: string[] = [];
const answers: Array<Promise<string>> = [];

beforeAll(async () => {
  providers = await startLlmProviders();
  project = tempProject({
    "openapi/openapi.yaml": DOCUMENT,
    "worker.ts": `export { TokenCounter } from ${JSON.stringify(TOKEN_COUNTER)};\nexport default (app) => app;\n`,
  });
  gateway = await startGateway(project, {
    via: "direct",
    wrapper: join(project, "worker.ts"),
    apiKey: API_KEY,
    durableObjects: { TOKEN_LIMIT: "TokenCounter" },
    durableStorage: "memory",
    bindings: {
      LLM_MAIN_URL: `${providers.url}/openai/ok/main/v1`,
      LLM_MAIN_KEY: MAIN_KEY,
      LLM_BACKUP_URL: `${providers.url}/anthropic/ok/backup/v1`,
      LLM_BACKUP_KEY: BACKUP_KEY,
    },
    onLog: (line) => void logs.push(line.message),
  });
  // Every answer's bytes and headers, for the check that no provider key is among them.
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    answers.push(
      response
        .clone()
        .text()
        .then((text) => `${JSON.stringify([...response.headers])}\n${text}`),
    );
    return response;
  };
  const client = (base: string) => new OpenAI({ apiKey: API_KEY, baseURL: new URL(base, gateway.url).href, fetch: recording, maxRetries: 0 });
  openai = client("/v1");
  metered = client("/metered/v1");
}, 180_000);

afterAll(async () => {
  await gateway?.close();
  await providers?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

const question = (extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) => ({
  model: "gpt-4o",
  messages: [
    { role: "system" as const, content: "Answer briefly." },
    { role: "user" as const, content: "Say hello." },
  ],
  ...extra,
});

/** What a client reads of a completion, values replaced by their types where providers differ. */
const shapeOf = (completion: OpenAI.ChatCompletion) => ({
  object: completion.object,
  id: typeof completion.id,
  created: typeof completion.created,
  model: typeof completion.model,
  choices: completion.choices.map(({ index, message, finish_reason }) => ({
    index,
    finish_reason,
    role: message.role,
    content: message.content,
    tool_calls: message.tool_calls?.map(
      (call) => call.type === "function" && { type: call.type, name: call.function.name, arguments: JSON.parse(call.function.arguments) },
    ),
  })),
  usage: Object.keys(completion.usage ?? {}).filter((key) => key.endsWith("_tokens")),
});

/** Streams a completion through the SDK: the chunks' text, finish reason and usage, and the provider header. */
async function streamed(client: OpenAI, extra: object = {}, onText?: () => Promise<void>) {
  const { data: stream, response } = await client.chat.completions.create({ ...question(), ...extra, stream: true }).withResponse();
  let text = "";
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | undefined;
  let first: unknown;
  for await (const chunk of stream) {
    first ??= chunk.choices[0]?.delta;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      finish = choice.finish_reason ?? finish;
      if (choice.delta.content) {
        text += choice.delta.content;
        await onText?.();
      }
    }
  }
  return { text, finish, usage, first, provider: response.headers.get("x-portico-llm-provider") };
}

describe("the OpenAI SDK through the llm handler", () => {
  it("gets the same completion shape from the OpenAI-style and the Anthropic-style provider", async () => {
    const fromMain = await openai.chat.completions.create(question()).withResponse();
    providers.script("main", ["status-503"]);
    const fromBackup = await openai.chat.completions.create(question()).withResponse();
    expect(fromMain.response.headers.get("x-portico-llm-provider")).toBe("main");
    expect(fromBackup.response.headers.get("x-portico-llm-provider")).toBe("backup");
    expect(shapeOf(fromBackup.data)).toEqual(shapeOf(fromMain.data));
    expect(fromMain.data.choices[0].message.content).toBe("Hello from the provider");
    expect(providers.received("backup").at(-1)!.body).toMatchObject({ model: "claude-haiku-4-5", system: [{ type: "text", text: "Answer briefly." }] });
  });

  it("gets the same tool call from either provider", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
    ];
    const fromMain = await openai.chat.completions.create(question({ tools, tool_choice: "required" }));
    providers.script("main", ["status-429"]);
    const fromBackup = await openai.chat.completions.create(question({ tools, tool_choice: "required" }));
    expect(shapeOf(fromBackup)).toEqual(shapeOf(fromMain));
    expect(shapeOf(fromMain).choices[0]).toMatchObject({ finish_reason: "tool_calls", tool_calls: [{ name: "get_weather", arguments: { city: "Cork" } }] });
    expect(providers.received("backup").at(-1)!.body.tool_choice).toEqual({ type: "any" });
  });

  it("gets the same stream from either provider, with the usage chunk only when asked for", async () => {
    const plain = await streamed(openai);
    providers.script("main", ["status-503"]);
    const translated = await streamed(openai);
    for (const answer of [plain, translated]) {
      expect(answer).toMatchObject({ text: "Hello from the provider", finish: "stop", usage: undefined, first: { role: "assistant" } });
    }
    expect([plain.provider, translated.provider]).toEqual(["main", "backup"]);
    const counted = await streamed(openai, { stream_options: { include_usage: true } });
    providers.script("main", ["status-503"]);
    const countedTranslated = await streamed(openai, { stream_options: { include_usage: true } });
    const total = (api: keyof typeof FAKE_USAGE) => FAKE_USAGE[api].prompt + FAKE_USAGE[api].completion;
    expect(counted.usage?.total_tokens).toBe(total("openai"));
    expect(countedTranslated.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 5, total_tokens: total("anthropic") });
  });

  it("passes each event on as it arrives: the provider holds the next until the client has the last", async () => {
    for (const api of ["main", "backup"] as const) {
      if (api === "backup") providers.script("main", ["status-503"]);
      providers.script(api, ["ack"]);
      const answer = await streamed(openai, {}, async () => void (await fetch(`${providers.url}/_ack/${api}`, { method: "POST" })));
      expect(answer).toMatchObject({ text: "Hello from the provider", provider: api });
    }
  });

  it("falls back after a timeout, but never once a byte has reached the client", async () => {
    providers.script("main", ["hang"]);
    const { response } = await openai.chat.completions.create(question()).withResponse();
    expect(response.headers.get("x-portico-llm-provider")).toBe("backup");
    const before = providers.received("backup").length;
    providers.script("main", ["cut"]);
    const text: string[] = [];
    const broken = await (async () => {
      for await (const chunk of await openai.chat.completions.create({ ...question(), stream: true })) text.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((error: unknown) => error);
    expect(broken).toBeInstanceOf(OpenAI.APIError);
    expect((broken as Error).message).toContain("broke off");
    expect(providers.received("backup").length).toBe(before);
  });

  it("refuses the request that would cross the token budget, having counted streamed usage exactly", async () => {
    const first = question();
    const spent = estimatePromptTokens(first);
    const { response } = await metered.chat.completions.create(first).withResponse();
    expect(response.headers.get("ratelimit")).toBe(`"metered";r=${150 - spent};t=${spent * 210240}`);
    const used = FAKE_USAGE.openai.prompt + FAKE_USAGE.openai.completion;
    await streamed(metered);
    const left = 150 - 2 * used;
    // Fits exactly: the next request's headers show what was left after both answers.
    const filling = question({ messages: [{ role: "user", content: "x".repeat((left - 7) * 4) }] });
    expect(estimatePromptTokens(filling)).toBe(left);
    const calls = providers.received("main").length;
    const error = await metered.chat.completions
      .create({ ...filling, messages: [{ role: "user", content: "x".repeat((left - 6) * 4) }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const refused = (error as InstanceType<typeof OpenAI.APIError>).headers!;
    expect(refused.get("ratelimit-policy")).toBe('"metered";q=150;w=31536000;qu="tokens"');
    expect(refused.get("ratelimit")).toBe(`"metered";r=${left};t=${2 * used * 210240}`);
    expect(refused.get("retry-after")).toBe(String(210240));
    expect(providers.received("main").length).toBe(calls);
    const admitted = await metered.chat.completions.create(filling).withResponse();
    expect(admitted.response.headers.get("ratelimit")).toBe(`"metered";r=0;t=${(2 * used + left) * 210240}`);
  });

  it("never shows a provider key to the client or in the logs, even when a provider quotes it", async () => {
    providers.script("main", ["status-400"]);
    const error = await openai.chat.completions.create(question()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain("[redacted]");
    expect(providers.received("main").at(-1)!.headers.authorization).toBe(`Bearer ${MAIN_KEY}`);
    expect(providers.received("main").every((call) => call.headers.authorization !== `Bearer ${API_KEY}`)).toBe(true);
    const seen = [...(await Promise.all(answers)), ...logs].join("\n");
    expect(answers.length).toBeGreaterThan(10);
    expect(logs.length).toBeGreaterThan(10);
    for (const key of [MAIN_KEY, BACKUP_KEY]) expect(seen).not.toContain(key);
  });
});

const ask = (extra: object = {}) => ({ model: "gpt-4o", instructions: "Answer briefly.", input: "Say hello.", ...extra });

/** Streams a response through the SDK: its events' types, the text of its deltas, the finished response, and the provider header. */
async function streamedResponse(client: OpenAI, onText?: () => Promise<void>) {
  const { data: stream, response } = await client.responses.create({ ...ask(), stream: true }).withResponse();
  const types: string[] = [];
  let text = "";
  let completed: OpenAI.Responses.Response | undefined;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === "response.output_text.delta") {
      text += event.delta;
      await onText?.();
    }
    if (event.type === "response.completed") completed = event.response;
  }
  return { types, text, completed, provider: response.headers.get("x-portico-llm-provider") };
}

describe("the OpenAI SDK's Responses API through the llm handler", () => {
  it("gets a response from the OpenAI-style provider, and the same from the Anthropic-style one after a 503", async () => {
    const fromMain = await openai.responses.create(ask()).withResponse();
    providers.script("main", ["status-503"]);
    const fromBackup = await openai.responses.create(ask()).withResponse();
    expect([fromMain, fromBackup].map(({ response }) => response.headers.get("x-portico-llm-provider"))).toEqual(["main", "backup"]);
    for (const { data } of [fromMain, fromBackup]) {
      expect(data).toMatchObject({ object: "response", status: "completed", output_text: "Hello from the provider" });
      expect(data.output).toMatchObject([{ type: "message", role: "assistant", content: [{ type: "output_text", text: "Hello from the provider" }] }]);
    }
    expect(fromMain.data.usage).toMatchObject({ input_tokens: 11, output_tokens: 7, total_tokens: 18 });
    expect(fromBackup.data.usage).toMatchObject({ input_tokens: 13, output_tokens: 5, total_tokens: 18 });
    expect(providers.received("main").at(-1)!.path).toMatch(/\/v1\/responses$/);
    expect(providers.received("backup").at(-1)!.body).toMatchObject({
      model: "claude-haiku-4-5",
      system: [{ type: "text", text: "Answer briefly." }],
      messages: [{ role: "user", content: [{ type: "text", text: "Say hello." }] }],
    });
  });

  it("streams the response events from either provider, each as it arrives", async () => {
    for (const api of ["main", "backup"] as const) {
      if (api === "backup") providers.script("main", ["status-503"]);
      providers.script(api, ["ack"]);
      const answer = await streamedResponse(openai, async () => void (await fetch(`${providers.url}/_ack/${api}`, { method: "POST" })));
      expect(answer).toMatchObject({ text: "Hello from the provider", provider: api, completed: { status: "completed", usage: { total_tokens: 18 } } });
      expect(answer.types[0]).toBe("response.created");
      expect(answer.types.slice(-2)).toEqual(["response.output_item.done", "response.completed"]);
      expect(answer.types).toContain("response.output_text.done");
    }
  });

  it("counts each response's tokens, streamed or not, against the budget exactly", async () => {
    const remaining = (headers: Headers) => Number(/"responses";r=(\d+);/.exec(headers.get("ratelimit") ?? "")?.[1]);
    const estimate = estimatePromptTokens(ask());
    const first = await metered.responses.create(ask()).withResponse();
    expect(remaining(first.response.headers)).toBe(150 - estimate);
    const streamedOnce = await streamedResponse(metered);
    expect(streamedOnce.completed?.usage?.total_tokens).toBe(18);
    const third = await metered.responses.create(ask()).withResponse();
    expect(remaining(third.response.headers)).toBe(150 - 2 * 18 - estimate);
  });
});
