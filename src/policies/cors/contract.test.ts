import { ordinaryRequest, RUNTIME_TESTS, runRuntimeContract } from "../builtin-runtime.case.ts";
import cors from "./index.ts";

const APP = "https://app.example.com";

runRuntimeContract("cors", cors, {
  options: {
    origins: [APP],
    allowHeaders: ["Authorization", "Content-Type", "X-API-Key", "X-Request-Id"],
    exposeHeaders: ["RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-Id"],
    credentials: true,
    maxAge: 600,
  },
  admitted: () => new Request(ordinaryRequest(), { headers: { ...Object.fromEntries(ordinaryRequest().headers), origin: APP } }),
  preflight: () => new Request("https://api.example.com/things/42", { method: "OPTIONS", headers: { origin: APP, "access-control-request-method": "POST" } }),
  changes: ["access-control-allow-credentials", "access-control-allow-origin", "access-control-expose-headers", "vary"],
  skip: [
    {
      reason: "cors refuses nothing: a page on another origin gets the answer without CORS headers, and its browser withholds it",
      tests: [RUNTIME_TESTS.refuses, RUNTIME_TESTS.problem],
    },
  ],
});
