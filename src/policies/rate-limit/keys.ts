/**
 * @module
 * Which counter a request goes to, and with what limit: by address,
 * consumer (with per-tier limits), header, all, or the user's key function.
 */
import { addressKey, networkKey } from "../../runtime/client-address.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import type { RateLimitOptions, RateLimitPrepared } from "./options.ts";

export type Settings = RateLimitOptions & RateLimitPrepared;

export interface ResolvedLimit {
  key: string;
  limit: number;
  window: number;
  /** Approximate mode: the Workers Rate Limiting binding of the tier (else the policy's `binding`). */
  binding?: string;
  /** Counted by address: the caller's wider network, counted too at a multiple of the limit. */
  network?: { key: string; limit: number };
}

/**
 * An IPv6 caller holds far more than one /64 (a /48 has 65,536 of them), so
 * its /48 is counted too, at `ipv6Aggregate` times the limit; an IPv4 /24
 * likewise when `ipv4Aggregate` is set.
 */
function withNetwork(limit: ResolvedLimit, settings: Settings, address: string | undefined): ResolvedLimit {
  // A binding's limit is fixed in wrangler.toml: it has no multiple of it to count a network at.
  if (settings.mode === "approximate") return limit;
  const v6 = settings.ipv6Aggregate > 0 ? networkKey(address, 6, 48) : undefined;
  if (v6) return { ...limit, network: { key: v6, limit: limit.limit * settings.ipv6Aggregate } };
  const v4 = settings.ipv4Aggregate > 0 ? networkKey(address, 4, 24) : undefined;
  if (v4) return { ...limit, network: { key: v4, limit: limit.limit * settings.ipv4Aggregate } };
  return limit;
}

/** The key and limit of a request; undefined when a key function leaves it unlimited. */
export async function resolveLimit(request: Request, ctx: GatewayContext, settings: Settings, address: string | undefined): Promise<ResolvedLimit | undefined> {
  const { window } = settings;
  const base = { limit: settings.limit, window };
  const tier = (name: string | undefined) => {
    const found = name !== undefined && Object.hasOwn(settings.tiers ?? {}, name) ? settings.tiers![name] : undefined;
    return found ? { limit: found.limit, window: found.window ?? window, binding: found.binding } : base;
  };
  // Callers with no address (possible only off Cloudflare's edge) share one counter.
  const ip = `ip:${addressKey(address)}`;
  switch (settings.by) {
    case "ip":
      return withNetwork({ key: ip, ...tier(ctx.consumer ? ctx.consumer.tier : "anonymous") }, settings, address);
    case "consumer":
      return ctx.consumer
        ? { key: `consumer:${ctx.consumer.id}`, ...tier(ctx.consumer.tier) }
        : withNetwork({ key: ip, ...tier("anonymous") }, settings, address);
    case "header":
      return { key: `header:${request.headers.get(settings.header ?? "") ?? ""}`, ...base };
    case "all":
      return { key: "all", ...base };
    case "function": {
      const found = await settings.keyFunction?.(request, ctx);
      if (found === undefined || found === null) return undefined;
      if (typeof found === "string") return { key: `fn:${found}`, ...base };
      const { key, limit, window: ownWindow } = found as { key: string; limit?: unknown; window?: unknown };
      const chosen = { key: `fn:${String(key)}`, limit: limit ?? base.limit, window: ownWindow ?? window };
      // A bad answer is the policy author's bug: a 500 that says so, never an unlimited key.
      if (settings.mode === "approximate" && (chosen.limit !== base.limit || chosen.window !== window)) {
        throw new TypeError(
          `The rate-limit key function returned limit ${String(limit)} and window ${String(ownWindow)}: in approximate mode the binding's limit and period in wrangler.toml hold, so return a key alone`,
        );
      }
      if (!Number.isInteger(chosen.limit) || (chosen.limit as number) < 1 || !Number.isInteger(chosen.window) || (chosen.window as number) < 1) {
        throw new TypeError(
          `The rate-limit key function returned limit ${String(limit)} and window ${String(ownWindow)}: both must be whole numbers of at least 1`,
        );
      }
      return chosen as ResolvedLimit;
    }
  }
}
