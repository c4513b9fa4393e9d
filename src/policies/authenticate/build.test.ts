import { BUILD_TESTS, runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("authenticate", {
  skip: [
    {
      reason: "its options are derived from securitySchemes and security, never written, so none can be wrong, missing or defaulted",
      tests: [BUILD_TESTS.invalid, BUILD_TESTS.valid, BUILD_TESTS.defaults, BUILD_TESTS.schema],
    },
  ],
});
