/**
 * @module
 * Whether an answer may be stored, and for how long (RFC 9111 for a shared
 * cache, with a consumer's own entries taken as private): pure, so every rule
 * is tested without a clock.
 */

/** Directives of a Cache-Control value, names lower-cased; a directive without a value is `true`. */
export function parseCacheControl(value: string | null): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  // A quoted value may hold commas: private="Set-Cookie, X-Token".
  for (const match of (value ?? "").matchAll(/([^=,\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^,]*))?/g)) {
    const name = match[1].toLowerCase();
    if (directives.has(name)) continue;
    const raw = match[2]?.trim();
    directives.set(name, raw === undefined ? true : raw.replace(/^"(.*)"$/, "$1"));
  }
  return directives;
}

/** Seconds of a delta-seconds directive; anything else counts as 0 (RFC 9111 §1.2.2: stale). */
function seconds(value: string | true | undefined): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : 0;
}

export interface StoreRules {
  by: "consumer" | "shared";
  ttl?: number;
  /** Seconds an entry may be served stale while it is refreshed, over the upstream's stale-while-revalidate. */
  staleWhileRevalidate?: number;
  statuses: readonly number[];
  /** Header names the key holds (the `vary` option's and the declared ones), lower-cased. */
  vary: readonly string[];
}

/**
 * Stored, fresh for `lifetime` seconds and then served stale for `stale` more
 * while it is refreshed; or not, for a reason Cache-Status names (a token).
 */
export type Decision = { store: true; lifetime: number; stale: number } | { store: false; reason: string };

/**
 * The stale-while-revalidate window (RFC 5861): the option's, else the
 * upstream's, which must-revalidate and proxy-revalidate take away.
 */
function staleWindow(directives: Map<string, string | true>, rules: StoreRules): number {
  if (rules.staleWhileRevalidate !== undefined) return rules.staleWhileRevalidate;
  if (directives.has("must-revalidate") || directives.has("proxy-revalidate")) return 0;
  return seconds(directives.get("stale-while-revalidate")) ?? 0;
}

export function decide(status: number, headers: Headers, rules: StoreRules): Decision {
  if (!rules.statuses.includes(status)) return { store: false, reason: "status" };
  // One client's cookie must never reach another.
  if (headers.has("set-cookie")) return { store: false, reason: "set-cookie" };
  const directives = parseCacheControl(headers.get("cache-control"));
  if (directives.has("no-store")) return { store: false, reason: "no-store" };
  // no-cache asks for a revalidation before every use, which this cache does not make.
  if (directives.has("no-cache")) return { store: false, reason: "no-cache" };
  if (directives.has("private") && rules.by === "shared") return { store: false, reason: "private" };
  const varies = (headers.get("vary") ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (varies.some((name) => name === "*" || (name !== "accept-encoding" && !rules.vary.includes(name)))) return { store: false, reason: "vary" };
  const lifetime = rules.ttl ?? seconds(directives.get("s-maxage")) ?? seconds(directives.get("max-age")) ?? 0;
  return lifetime > 0 ? { store: true, lifetime, stale: staleWindow(directives, rules) } : { store: false, reason: "no-lifetime" };
}
