/**
 * @module
 * Build time, approximate mode: each Workers Rate Limiting binding a policy
 * counts in must be declared in wrangler.toml with the policy's own limit
 * and period, since the binding, not the policy, enforces them. A mismatch
 * would pass at run time as a different limit than the one documented.
 */
import { BuildStepError, type Use } from "../../builtin-descriptor.ts";
import type { RateLimitOptions } from "./options.ts";

interface Declared {
  name: string;
  namespace_id?: string;
  simple?: { limit?: number; period?: number };
}

const DOCS = "See docs/rate-limits.md#approximate.";

/** The periods a binding takes, in seconds. */
const PERIODS = [10, 60];

/** The wrangler.toml lines that declare a binding with this limit and period. */
function stanza(binding: string, limit: number, period: number): string {
  return `[[ratelimits]]\nname = "${binding}"\nnamespace_id = "<a number unique in your Cloudflare account, e.g. 1001>"\nsimple = { limit = ${limit}, period = ${period} }`;
}

/** Throws the located build error for the first binding that is missing or differs from the options. */
export function checkRateLimitBindings(use: Use<RateLimitOptions>, wrangler: Record<string, any> | undefined): void {
  const options = `${use.where}/options`;
  const base = { binding: use.options.binding, limit: use.options.limit, window: use.options.window, at: options };
  const tiers = Object.entries(use.options.tiers ?? {}).map(([tier, limits]) => ({
    tier,
    binding: limits.binding ?? base.binding,
    limit: limits.limit,
    window: limits.window ?? base.window,
    at: `${options}/tiers/${tier.replace(/~/g, "~0").replace(/\//g, "~1")}`,
  }));
  const declared = (wrangler?.ratelimits ?? []) as Declared[];
  for (const want of [base, ...tiers]) {
    const whose = "tier" in want ? `tier "${want.tier}"` : "policy";
    const fix = stanza(want.binding, want.limit, want.window);
    if (!PERIODS.includes(want.window)) {
      throw new BuildStepError(
        `Options of "rate-limit": the ${whose} counts ${want.limit} per ${want.window} s in mode approximate, but a Workers Rate Limiting binding's period is 10 or 60 s.`,
        `${want.at}/window`,
        `Set window: 10 or 60, or use mode: async or strict for other windows. ${DOCS}`,
      );
    }
    if (!wrangler) {
      throw new BuildStepError(
        `Options of "rate-limit": mode approximate counts in the Workers Rate Limiting binding ${want.binding}, but the project has no wrangler.toml to declare it.`,
        `${options}/mode`,
        `Add a wrangler.toml beside openapi/ with:\n${fix}\n${DOCS}`,
      );
    }
    const found = declared.find((binding) => binding?.name === want.binding);
    if (!found) {
      throw new BuildStepError(
        `Options of "rate-limit": the ${whose} counts in the Workers Rate Limiting binding ${want.binding}, which wrangler.toml does not declare under [[ratelimits]].`,
        `${want.at}/binding`,
        `Add to wrangler.toml (each [env.*] lists its own too: they do not inherit it):\n${fix}\n(or fix the binding option). ${DOCS}`,
      );
    }
    const { limit, period } = found.simple ?? {};
    if (limit !== want.limit || period !== want.window) {
      throw new BuildStepError(
        `Options of "rate-limit": the ${whose} admits ${want.limit} per ${want.window} s, but its binding ${want.binding} in wrangler.toml admits ${String(limit)} per ${String(period)} s.`,
        `${want.at}/${limit !== want.limit ? "limit" : "window"}`,
        `Make them the same: the binding enforces its own, and the headers announce the policy's. In wrangler.toml:\n${fix}\n${DOCS}`,
      );
    }
  }
}
