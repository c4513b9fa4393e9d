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
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveBundle, type Served } from "../../bench/lib/gateway.ts";
import { bundleEntry } from "../../bench/lib/workerd.ts";
import { compile } from "../../src/compiler/compile.ts";
import { generateApiKey } from "../../src/policies/authenticate/key-format.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const outDir = join(root, "test/.generated/openai");
/** A consumer key in Portico's format, which the SDK sends as its API key. */
const API_KEY = generateApiKey();

let work: string;
let served: Served | undefined;
let openai: OpenAI;
const answers: Array<{ method: string; path: string; status: number }> = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "portico-openai-"));
  mkdirSync(join(work, "openapi"));
  writeFileSync(join(work, "openapi/openapi.json"), gunzipSync(readFileSync(join(root, "test/fixtures/openai/openapi.trimmed.json.gz"))));
  const result = await compile({ root: work, outDir, defaultHandler: "mock" });
  if (result.errors.length > 0) throw new Error(result.errors.map((error) => error.format()).join("\n"));
  writeFileSync(join(work, "worker.ts"), `export { default } from ${JSON.stringify(join(outDir, "app.ts"))};\n`);
  const { dir, modules } = await bundleEntry(join(work, "worker.ts"), work, "portico-openai");
  served = await serveBundle({ bundle: join(dir, modules[0]), via: "direct", apiKey: API_KEY, onLog: () => {} });

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
  await served?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs one SDK call; it must not throw, and every request it made must be answered 2xx. */
async function admitted<T>(call: () => Promise<T>): Promise<T> {
  const before = answers.length;
  const result = await call();
  const made = answers.slice(before);
  expect(made.length).toBeGreaterThan(0);
  for (const answer of made) expect(answer.status, `${answer.method} ${answer.path}`).toBeLessThan(300);
  return result;
}

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
    const before = answers.length;
    const error = await openai.embeddings
      .create({ input: ["no model"], encoding_format: "float" } as unknown as OpenAI.EmbeddingCreateParams)
      .catch((caught: unknown) => caught);
    expect(answers.splice(before).map((answer) => answer.status)).toEqual([400]);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    // The SDK keeps the problem it was answered as the error's body.
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ errors: [{ in: "body", pointer: "/model", message: "is required" }] });
  });

  it("was refused nothing else: no request of the SDK got a 4xx", () => {
    expect(answers.length).toBeGreaterThanOrEqual(5);
    expect(answers.filter((answer) => answer.status >= 400)).toEqual([]);
  });
});
