import { env } from "cloudflare:workers";
import llmGateway from "../../../test/.generated/llm/app.ts";
import { call } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import { runRuntimeContract } from "../../policies/builtin-runtime.case.ts";
import llm from "./index.ts";
import type { LlmOptions } from "./options.ts";

const options = (url: string): LlmOptions => ({
  providers: [{ name: "main", api: "openai", url, key: env.LLM_MAIN_KEY, model: "gpt-4o-mini", maxTokens: 4096 }],
  fallbackOn: [429, 500, 502, 503, 504, "timeout"],
  timeout: 30_000,
  endpoint: "chat",
});

runRuntimeContract("llm", llm, {
  // The fake OpenAI-style provider of test/support/llm-providers.ts.
  options: options(`${env.LLM_PROVIDERS_URL}/openai/ok/contract/v1`),
  admitted: () =>
    new Request("https://api.example.com/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "Hello?" }] }),
    }),
  refusal: { options: options(`${env.CLOSED_URL}/v1`) },
  async atGateway() {
    const headers = { "x-api-key": await storeConsumer({ id: `contract-${crypto.randomUUID()}` }), "content-type": "application/json" };
    return call(llmGateway, "/v1/chat/completions", { method: "POST", headers, body: '{"messages":"not a list"}' });
  },
});
