import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("cors", {
  valid: { origins: ["https://app.example.com"] },
  invalid: [
    {},
    { origins: [] },
    { origins: ["https://app.example.com/path"] },
    { origins: ["*"], credentials: true },
    { origins: ["https://app.example.com"], maxAge: -1 },
    { origins: ["https://app.example.com"], unknown: true },
  ],
});
