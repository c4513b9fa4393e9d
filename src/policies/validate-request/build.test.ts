import { BUILD_TESTS, runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("validate-request", {
  skip: [
    {
      reason: "its rules are derived from the operation's parameters and requestBody, never written, so no option can be wrong, missing or defaulted",
      tests: [BUILD_TESTS.invalid, BUILD_TESTS.valid, BUILD_TESTS.defaults, BUILD_TESTS.schema],
    },
  ],
});
