import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("request-id", {
  valid: {},
  invalid: [{ header: "" }, { header: "X Request Id" }, { header: 42 }, { trust: false }],
});
