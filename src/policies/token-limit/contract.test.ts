import llmGateway from "../../../test/.generated/llm/app.ts";
import { call } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import { runRuntimeContract } from "../builtin-runtime.case.ts";
import tokenLimit from "./index.ts";

const consumer = (tier: string) => ({ id: `contract-${crypto.randomUUID()}`, tier, scopes: [], metadata: {} });

/** A chat request whose prompt is estimated at 11 tokens: more than the `spent` tier's whole budget. */
const chat = () =>
  new Request("https://api.example.com/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "Hello, how are you?" }] }),
  });

runRuntimeContract("token-limit", tokenLimit, {
  // Counted in the TOKEN_LIMIT namespace of wrangler.toml.
  options: { tokens: 1_000_000, window: 3600, by: "consumer", tiers: { spent: { tokens: 1 } }, failMode: "closed", binding: "TOKEN_LIMIT" },
  prepared: { instance: "/x-portico/policies/contract", name: "contract" },
  consumer: () => consumer("gold"),
  refusal: { consumer: () => consumer("spent"), request: chat },
  async atGateway() {
    // The default tier's budget is 100 tokens, and this prompt is estimated at more.
    const headers = { "x-api-key": await storeConsumer({ id: `contract-${crypto.randomUUID()}` }), "content-type": "application/json" };
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "x".repeat(400) }] });
    return call(llmGateway, "/v1/chat/completions", { method: "POST", headers, body });
  },
});
