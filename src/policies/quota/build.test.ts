import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("quota", {
  valid: { limit: 1000 },
  invalid: [
    {},
    { limit: 0 },
    { limit: 10, period: "year" },
    { limit: 10, tiers: { gold: {} } },
    { limit: 10, tiers: { gold: { limit: 20, period: "day" } } },
    { limit: 10, failMode: "ignore" },
    { limit: 10, binding: "1-QUOTA" },
    { limit: 10, name: "has space" },
    { limit: 10, anchor: "" },
  ],
});
