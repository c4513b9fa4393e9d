import { describeBuiltin, type Use } from "../../builtin-descriptor.ts";
import { options, type RateLimitOptions, type RateLimitPrepared } from "./options.ts";
import { checkRateLimitBindings } from "./build-bindings.ts";

/** The longest name the RateLimit headers and the `name` option take. */
const NAME_LENGTH = 32;

/** FNV-1a, 32 bits, as 6 hex digits: enough to tell apart names cut to the same prefix. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0").slice(0, 6);
}

/**
 * An instance listed inline (`{ use: rate-limit, options }`) is named after its
 * operation and its place in the list, `listExhibits-1` (`gateway-0` when
 * gateway-wide), so two on one route never show as the same name; a name
 * longer than the headers take is cut, with a hash of the whole behind it.
 */
function inlineName(use: Use): string {
  const whole = `${use.operationId ?? "gateway"}-${use.where.split("/").at(-1)}`.replace(/[^A-Za-z0-9_.-]/g, "_");
  return whole.length <= NAME_LENGTH ? whole : `${whole.slice(0, NAME_LENGTH - 7)}-${shortHash(whole)}`;
}

/**
 * What a counting policy's Durable Objects are named by (where the instance
 * is defined, so a named policy listed on many operations shares its
 * counters) and the label its RateLimit headers carry: the `name` option,
 * else the named policy's name, else its operation and place.
 */
export function instanceIdentity(use: Use<{ name?: string }>, builtin: string) {
  return { instance: use.where, name: use.options.name ?? (use.name === builtin ? inlineName(use) : use.name) };
}

export default describeBuiltin<RateLimitOptions, RateLimitPrepared>({
  name: "rate-limit",
  kind: "policy",
  summary:
    "Counts requests per key (address, consumer, header, all, or a function's) in a Durable Object, or a Workers Rate Limiting binding, and refuses past the limit with 429.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound"],
  prepare(use, { projectModule, wrangler }) {
    const prepared = instanceIdentity(use, "rate-limit");
    if (use.options.mode === "approximate") checkRateLimitBindings(use, wrangler?.());
    if (use.options.by !== "function") return { prepared };
    const keyFunction = projectModule(use.options.function!);
    if (!keyFunction) throw new Error(`Options of "rate-limit": the key function module ${use.options.function} does not exist.`);
    return { prepared: { ...prepared, keyFunction } };
  },
  check(use) {
    if (use.options.mode !== "approximate") {
      const bound = Object.keys(use.options.tiers ?? {}).find((tier) => use.options.tiers![tier]!.binding !== undefined);
      if (bound !== undefined) {
        return [
          {
            severity: "error",
            message: `Options of "rate-limit": the tier "${bound}" names a binding, which only mode approximate reads (strict and async count in the policy's Durable Object binding).`,
            hint: "Remove the tier's binding, or set mode: approximate (see docs/rate-limits.md#approximate).",
            pointer: `${use.where}/options/tiers`,
          },
        ];
      }
    }
    if (!use.gatewayWide || (use.options.by !== "consumer" && !use.options.tiers)) return [];
    return [
      {
        severity: "warning",
        message: "This rate-limit is gateway-wide, before authentication: every caller counts as anonymous, by address.",
        hint: "List it in the operations' inbound to count by consumer and tier; keep by: ip here to count failed logins.",
      },
    ];
  },
  durableObjects: [
    {
      className: "RateLimiter",
      module: new URL("./rate-limiter.ts", import.meta.url),
      binding: (options) => (options.mode === "approximate" ? undefined : options.binding),
    },
  ],
  portal: (use, prepared) => ({
    kind: "rate-limit",
    name: prepared.name,
    limit: use.options.limit,
    window: use.options.window,
    by: use.options.by,
    tiers: use.options.tiers,
  }),
});
