import { describeBuiltin, type Use } from "../../builtin-descriptor.ts";
import { options, type RateLimitOptions, type RateLimitPrepared } from "./options.ts";

/**
 * What a counting policy's Durable Objects are named by (where the instance
 * is defined, so a named policy listed on many operations shares its
 * counters) and the label its RateLimit headers carry: the `name` option,
 * else the named policy's name, else `unnamed` for a built-in listed by its
 * own name.
 */
export function instanceIdentity(use: Use<{ name?: string }>, builtin: string, unnamed: string) {
  return { instance: use.where, name: use.options.name ?? (use.name === builtin ? unnamed : use.name) };
}

export default describeBuiltin<RateLimitOptions, RateLimitPrepared>({
  name: "rate-limit",
  kind: "policy",
  summary: "Counts requests per key (address, consumer, header, all, or a function's) in a Durable Object and refuses past the limit with 429.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound"],
  prepare(use, { projectModule }) {
    const prepared = instanceIdentity(use, "rate-limit", "default");
    if (use.options.by !== "function") return { prepared };
    const keyFunction = projectModule(use.options.function!);
    if (!keyFunction) throw new Error(`Options of "rate-limit": the key function module ${use.options.function} does not exist.`);
    return { prepared: { ...prepared, keyFunction } };
  },
  check(use) {
    if (!use.gatewayWide || (use.options.by !== "consumer" && !use.options.tiers)) return [];
    return [
      {
        severity: "warning",
        message: "This rate-limit is gateway-wide, before authentication: every caller counts as anonymous, by address.",
        hint: "List it in the operations' inbound to count by consumer and tier; keep by: ip here to count failed logins.",
      },
    ];
  },
  durableObjects: [{ className: "RateLimiter", module: new URL("./rate-limiter.ts", import.meta.url), binding: (options) => options.binding }],
  portal: (use, prepared) => ({
    kind: "rate-limit",
    name: prepared.name,
    limit: use.options.limit,
    window: use.options.window,
    by: use.options.by,
    tiers: use.options.tiers,
  }),
});
