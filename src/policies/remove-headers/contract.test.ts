import { RUNTIME_TESTS, runRuntimeContract } from "../builtin-runtime.case.ts";
import removeHeaders from "./index.ts";

runRuntimeContract("remove-headers", removeHeaders, {
  options: { headers: ["X-Custom"] },
  changes: ["x-custom"],
  skip: [{ reason: "remove-headers takes headers away and refuses nothing", tests: [RUNTIME_TESTS.refuses, RUNTIME_TESTS.problem] }],
});
