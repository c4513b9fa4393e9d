import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("remove-headers", {
  valid: { headers: ["X-Internal"] },
  invalid: [{}, { headers: [] }, { headers: ["bad header"] }, { headers: "X-Internal" }, { headers: ["X-Internal"], from: "response" }],
});
