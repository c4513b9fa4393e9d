import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("ip-filter", {
  valid: { deny: ["198.51.100.0/24"] },
  invalid: [
    {},
    { allow: [] },
    { allow: ["10.0.0.300/8"] },
    { deny: ["203.0.113.0/33"] },
    { deny: ["2001:db8::/129"] },
    { deny: ["198.51.100.1"], message: "" },
    { deny: ["198.51.100.1"], except: ["198.51.100.2"] },
  ],
});
