import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("forward", {
  valid: { url: "https://upstream.example.com/things" },
  invalid: [
    { url: "" },
    { url: "https://upstream.example.com", timeout: 0 },
    { url: "https://upstream.example.com", timeout: 300001 },
    { url: "https://upstream.example.com", retries: 2 },
  ],
});
