import aggregateGateway from "../../../test/.generated/aggregate/app.ts";
import { call } from "../../../test/support/call.ts";
import { runRuntimeContract } from "../../policies/builtin-runtime.case.ts";
import aggregate from "./index.ts";
import type { AggregateOptions, AggregatePrepared } from "./options.ts";

const options = { requests: {}, maxPartBytes: 1048576, partialStatus: 200, cacheControl: "no-store" } satisfies AggregateOptions;

/** One part from the local upstream of test/support/upstream.ts, which answers with what it received, as the build prepares it. */
const prepared: AggregatePrepared = {
  parts: [
    {
      name: "item",
      url: [{ from: "env", name: "UPSTREAM_URL" }, "/v1/items/", { from: "params", name: "id", inPath: true }],
      method: "GET",
      timeout: 10000,
      optional: false,
      headers: [],
    },
  ],
  readsQuery: false,
};

runRuntimeContract("aggregate", aggregate, {
  options,
  prepared,
  // Its answer is larger than this: the required part fails.
  refusal: { options: { ...options, maxPartBytes: 16 } },
  atGateway: () => call(aggregateGateway, "/required-down"),
});
