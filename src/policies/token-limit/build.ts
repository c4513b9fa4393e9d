import { describeBuiltin } from "../../builtin-descriptor.ts";
import { instanceIdentity } from "../rate-limit/build.ts";
import { options, type TokenLimitOptions, type TokenLimitPrepared } from "./options.ts";

export default describeBuiltin<TokenLimitOptions, TokenLimitPrepared>({
  name: "token-limit",
  kind: "policy",
  summary:
    "Counts the LLM tokens each consumer (or address) uses per window in a Durable Object, from the prompt's estimate before the call and the provider's count after, and refuses with 429 once the budget is spent.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound"],
  prepare: (use) => ({ prepared: instanceIdentity(use, "token-limit") }),
  check(use) {
    if (!use.gatewayWide || use.options.by !== "consumer") return [];
    return [
      {
        severity: "warning",
        message: "This token-limit is gateway-wide, before authentication: every caller counts as anonymous, by address.",
        hint: "List it in the inbound of the llm operations to count by consumer and tier (see docs/llm.md#token-limit).",
      },
    ];
  },
  durableObjects: [{ className: "TokenCounter", module: new URL("./token-counter.ts", import.meta.url), binding: (options) => options.binding }],
});
