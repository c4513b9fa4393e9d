import { RUNTIME_TESTS, runRuntimeContract } from "../builtin-runtime.case.ts";
import requestId from "./index.ts";

runRuntimeContract("request-id", requestId, {
  options: { header: "X-Request-Id" },
  changes: ["x-request-id"],
  skip: [{ reason: "request-id replaces a malformed id rather than refuse the request", tests: [RUNTIME_TESTS.refuses, RUNTIME_TESTS.problem] }],
});
