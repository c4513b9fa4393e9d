/**
 * The official OpenAI SDK for Node (pinned at 7.5.0, the last release before
 * the document's commit of 2026-08-21) against Portico serving OpenAI's own
 * document (test/fixtures/openai: openapi.json trimmed to the operations
 * called here) with the mock handler and request validation on.
 *
 * The SDK sends JSON bodies: messages of several roles, tools whose
 * parameters are JSON Schemas, inputs as arrays. Every call of a typical
 * integration must be admitted and its mocked answer parsed by the SDK.
 *
 * The gateway is compiled into test/.generated/openai, bundled by wrangler
 * and served by workerd through Miniflare on 127.0.0.1, as the bench serves
 * its gateway (bench/lib). The document's security is an http bearer scheme;
 * the trimmed copy gives it `x-portico: { credential: apiKey }`, so the SDK's
 * API key is a consumer's key stored in KV, sent as OpenAI's keys are.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "../../src/policies/authenticate/key-format.ts";
import { serveDocument, type SdkGateway } from "../support/sdk-gateway.ts";

/** A consumer key in Portico's format, which the SDK sends as its API key. */
const API_KEY = generateApiKey();

let gateway: SdkGateway | undefined;
let openai: OpenAI;

beforeAll(async () => {
  gateway = await serveDocument("openai", "openai/openapi.trimmed.json.gz", "openapi.json", API_KEY);
  const { served, answers } = gateway;

  // Every request the SDK makes, and the status it got, whether or not the SDK throws.
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : input);
    answers.push({ method: init?.method ?? "GET", path: url.pathname + url.search, status: response.status });
    return response;
  };
  openai = new OpenAI({ apiKey: API_KEY, baseURL: new URL("/v1", served.url).href, fetch: recording, maxRetries: 0 });
}, 180_000);

afterAll(async () => {
  await gateway?.close();
});

const admitted = <T>(call: () => Promise<T>) => gateway!.admitted(call);

describe("the OpenAI SDK against OpenAI's document, validated", () => {
  it("creates a chat completion with a conversation and a function tool", async () => {
    const completion = await admitted(() =>
      openai.chat.completions.create({
        model: "gpt-4o",
        messages: [
          { role: "system", content: "You answer with the weather." },
          { role: "user", content: [{ type: "text", text: "What is the weather in Cork?" }] },
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Cork"}' } }],
          },
          { role: "tool", tool_call_id: "call_1", content: '{"celsius":12}' },
        ],
        tools: [
          {
            type: "function",
            function: {
              name: "get_weather",
              description: "The current weather in a city",
              parameters: {
                type: "object",
                properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
                required: ["city", "unit"],
                additionalProperties: false,
              },
              strict: true,
            },
          },
        ],
        tool_choice: "auto",
        temperature: 0.2,
        max_completion_tokens: 200,
        user: "user-42",
      }),
    );
    expect(completion.object).toBe("chat.completion");
    expect(Array.isArray(completion.choices)).toBe(true);
  });

  it("creates embeddings of several inputs, as floats and in the SDK's default base64", async () => {
    const floats = await admitted(() =>
      openai.embeddings.create({
        model: "text-embedding-3-small",
        input: ["The quick brown fox", "jumped over the lazy dog"],
        encoding_format: "float",
        dimensions: 256,
      }),
    );
    expect(floats.object).toBe("list");
    expect(Array.isArray(floats.data)).toBe(true);
    // Without encoding_format the SDK asks for base64 and decodes each `embedding` as a base64 string, though the
    // document's Embedding.embedding is an array of numbers: the mock's answer is an array (empty), which decodes to [].
    const decoded = await admitted(() =>
      openai.embeddings.create({ model: "text-embedding-3-small", input: ["The quick brown fox", "jumped over the lazy dog"] }),
    );
    for (const embedding of decoded.data) expect(Array.isArray(embedding.embedding)).toBe(true);
  });

  it("lists the models, and retrieves one", async () => {
    const models = await admitted(async () => {
      const page = await openai.models.list();
      return page.data;
    });
    expect(Array.isArray(models)).toBe(true);
    const model = await admitted(() => openai.models.retrieve("gpt-4o"));
    expect(model.object).toBe("model");
  });

  it("creates a moderation of several inputs", async () => {
    const moderation = await admitted(() => openai.moderations.create({ model: "omni-moderation-latest", input: ["I like cats.", "I like dogs."] }));
    expect(Array.isArray(moderation.results)).toBe(true);
  });

  it("refuses a request without a required field, and the SDK throws its 400", async () => {
    const before = gateway!.answers.length;
    const error = await openai.embeddings
      .create({ input: ["no model"], encoding_format: "float" } as unknown as OpenAI.EmbeddingCreateParams)
      .catch((caught: unknown) => caught);
    expect(gateway!.answers.splice(before).map((answer) => answer.status)).toEqual([400]);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    // The SDK keeps the problem it was answered as the error's body.
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ errors: [{ in: "body", pointer: "/model", message: "is required" }] });
  });

  it("was refused nothing else: no request of the SDK got a 4xx", () => {
    expect(gateway!.answers.length).toBeGreaterThanOrEqual(5);
    expect(gateway!.answers.filter((answer) => answer.status >= 400)).toEqual([]);
  });
});
