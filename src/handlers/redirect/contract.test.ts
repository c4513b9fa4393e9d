import { RUNTIME_TESTS, runRuntimeContract } from "../../policies/builtin-runtime.case.ts";
import redirect from "./index.ts";

runRuntimeContract("redirect", redirect, {
  options: { location: "https://docs.example.com/articles/${params.id}", status: 302, keepQuery: true },
  skip: [{ reason: "redirect answers every request the same way; it has nothing to refuse", tests: [RUNTIME_TESTS.refuses, RUNTIME_TESTS.problem] }],
});
