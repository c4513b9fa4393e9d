import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("set-headers", {
  valid: { headers: { "X-Tenant": "acme" } },
  invalid: [{}, { headers: {} }, { headers: { "bad header": "x" } }, { headers: { "X-Count": 1 } }, { headers: { "X-Tenant": "acme" }, overwrite: "no" }],
});
