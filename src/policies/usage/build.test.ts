import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("usage", {
  valid: { binding: "USAGE" },
  invalid: [{}, { binding: "" }, { binding: "1-USAGE" }, { binding: "USAGE", dataset: "usage" }],
});
