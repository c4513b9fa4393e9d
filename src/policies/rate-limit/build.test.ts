import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("rate-limit", {
  valid: { limit: 100 },
  invalid: [
    {},
    { limit: 0 },
    { limit: 10, window: 0 },
    { limit: 10, by: "cookie" },
    { limit: 10, by: "header" },
    { limit: 10, by: "function" },
    { limit: 10, by: "function", function: "policies/key.ts" },
    { limit: 10, by: "function", function: "./policies/missing.ts" },
    { limit: 10, tiers: { free: { limit: 0 } } },
    { limit: 10, mode: "lazy" },
    { limit: 10, binding: "rate limiter" },
  ],
});
