import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("size-limit", {
  valid: { maxBytes: 1024 },
  invalid: [
    {},
    { maxBytes: -1 },
    { maxBytes: 1.5 },
    { maxBytes: 1024, maxUrlLength: 0 },
    { maxBytes: 1024, maxHeaderBytes: 0 },
    { maxBytes: 1024, maxBodyBytes: 10 },
  ],
});
