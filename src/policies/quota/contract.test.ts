import quotaGateway from "../../../test/.generated/quota/app.ts";
import { call } from "../../../test/support/call.ts";
import { storeConsumer } from "../../../test/support/consumers.ts";
import { runRuntimeContract } from "../builtin-runtime.case.ts";
import quota from "./index.ts";

const consumer = (tier: string) => ({ id: `contract-${crypto.randomUUID()}`, tier, scopes: [], metadata: {} });

runRuntimeContract("quota", quota, {
  // Counted in the QUOTA namespace of wrangler.toml.
  options: { limit: 1_000_000, period: "day", tiers: { spent: { limit: 1 } }, failMode: "closed", binding: "QUOTA" },
  prepared: { instance: "/x-portico/policies/contract", name: "contract" },
  consumer: () => consumer("gold"),
  refusal: { consumer: () => consumer("spent"), attempts: 2 },
  async atGateway() {
    const headers = { "x-api-key": await storeConsumer({ id: `contract-${crypto.randomUUID()}` }) };
    await call(quotaGateway, "/optional-key", { headers });
    return call(quotaGateway, "/optional-key", { headers });
  },
});
