import { env } from "cloudflare:workers";
import { RUNTIME_TESTS, runRuntimeContract } from "../builtin-runtime.case.ts";
import usage from "./index.ts";

/**
 * An Analytics Engine dataset is an object with writeDataPoint, and this one keeps what it is given.
 * The contract runs on it rather than on the ledger, whose first point of a batch holds its request's
 * waitUntil for the 1 s the batch waits: the contract's hundred-odd requests would take minutes.
 */
const dataset = { writeDataPoint: (_point?: AnalyticsEngineDataPoint) => {} };

runRuntimeContract("usage", usage, {
  options: { binding: "USAGE_DATASET" },
  env: { ...env, USAGE_DATASET: dataset },
  skip: [{ reason: "usage records what passes; it never refuses a request", tests: [RUNTIME_TESTS.refuses, RUNTIME_TESTS.problem] }],
});
