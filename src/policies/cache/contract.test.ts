import { ordinaryRequest, RUNTIME_TESTS, runRuntimeContract } from "../builtin-runtime.case.ts";
import cache from "./index.ts";

runRuntimeContract("cache", cache, {
  options: { vary: ["Accept-Language"], statuses: [200, 203, 204, 301, 404], tags: ["contract"], binding: "CACHE_PURGE" },
  prepared: {
    instance: "/x-portico/policies/contract",
    route: "contractOperation",
    by: "consumer",
    anonymous: true,
    query: { names: ["q"], prefixes: [], all: false },
    headers: [],
    cookies: [],
  },
  // A GET, which it looks up; the default upstream answer says no-cache, so every run misses alike.
  admitted: () => new Request(ordinaryRequest().url, { headers: ordinaryRequest().headers }),
  skip: [
    {
      reason: "cache refuses nothing: what it does not answer goes on to the handler",
      tests: [RUNTIME_TESTS.refuses, RUNTIME_TESTS.problem],
    },
  ],
});
