import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("validate-response", {
  valid: {},
  invalid: [{ mode: "strict" }, { maxBodyBytes: 0 }, { maxBodyBytes: "1 MiB" }, { statuses: ["2XX"] }],
});
