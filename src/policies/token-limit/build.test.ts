import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("token-limit", {
  valid: { tokens: 100000 },
  invalid: [
    {},
    { tokens: 0 },
    { tokens: 1000, window: 0 },
    { tokens: 1000, by: "header" },
    { tokens: 1000, tiers: { paid: {} } },
    { tokens: 1000, tiers: { paid: { limit: 20 } } },
    { tokens: 1000, failMode: "ignore" },
    { tokens: 1000, binding: "1-TOKENS" },
    { tokens: 1000, name: "has space" },
  ],
});
