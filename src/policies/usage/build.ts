import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options, type UsageOptions } from "./options.ts";

export default describeBuiltin<UsageOptions>({
  name: "usage",
  kind: "policy",
  summary:
    "Records one data point per response (consumer, tier, operation, status, latency and bytes) in an Analytics Engine dataset or a UsageLedger Durable Object, off the response's path.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["finish"],
  durableObjects: [{ className: "UsageLedger", module: new URL("./usage-ledger.ts", import.meta.url), binding: (options) => options.binding, orDataset: true }],
  admin: true,
});
