import { RUNTIME_TESTS, runRuntimeContract } from "../builtin-runtime.case.ts";
import setHeaders from "./index.ts";

runRuntimeContract("set-headers", setHeaders, {
  options: { headers: { "X-Tenant": "acme", "Cache-Control": "no-store" }, overwrite: true },
  changes: ["cache-control", "x-tenant"],
  skip: [{ reason: "set-headers adds headers and refuses nothing", tests: [RUNTIME_TESTS.refuses, RUNTIME_TESTS.problem] }],
});
