import limits from "../../../test/.generated/limits/app.ts";
import { call } from "../../../test/support/call.ts";
import { runRuntimeContract } from "../builtin-runtime.case.ts";
import rateLimit from "./index.ts";

const consumer = (tier: string) => ({ id: `contract-${crypto.randomUUID()}`, tier, scopes: [], metadata: {} });

runRuntimeContract("rate-limit", rateLimit, {
  // Counted in the RATE_LIMITER namespace of wrangler.toml.
  options: {
    limit: 1_000_000,
    window: 60,
    by: "consumer",
    tiers: { spent: { limit: 1 } },
    mode: "strict",
    failMode: "closed",
    binding: "RATE_LIMITER",
    ipv6Aggregate: 8,
    ipv4Aggregate: 0,
  },
  prepared: { instance: "/x-portico/policies/contract", name: "contract" },
  consumer: () => consumer("gold"),
  refusal: { consumer: () => consumer("spent"), attempts: 2 },
  async atGateway() {
    const headers = { "x-bucket": crypto.randomUUID() };
    await call(limits, "/exact/1", { headers });
    return call(limits, "/exact/1", { headers });
  },
});
