/**
 * @module
 * The Cache API key of a request: one per instance, route, declared query,
 * listed header values, consumer and purge generation, hashed into a URL under a host that
 * cannot exist, so no real URL is ever answered from it and the consumer id
 * and header values are not kept in the clear.
 */
import { sha256Hex } from "../../runtime/digest.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import type { CachePrepared, QueryRule } from "./options.ts";

/** RFC 6761 keeps .invalid for names that never resolve. */
export const KEY_ORIGIN = "https://cache.portico.invalid";

/** The path template with the request's parameters in it, each encoded: the same route however the client spelled it. */
export function filledPath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));
}

/** The declared query pairs, sorted by name then value; undeclared ones are left out. */
export function declaredQuery(url: URL, rule: QueryRule): Array<[string, string]> {
  const names = new Set(rule.names);
  const pairs = [...url.searchParams].filter(([name]) => rule.all || names.has(name) || rule.prefixes.some((prefix) => name.startsWith(prefix)));
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return pairs.sort(([an, av], [bn, bv]) => order(an, bn) || order(av, bv));
}

/** Whose entry this is: the consumer's, the anonymous callers', or everyone's; undefined when it may not be cached. */
function scopeOf(ctx: GatewayContext, prepared: CachePrepared): unknown[] | undefined {
  if (prepared.by === "shared") return ["shared"];
  if (ctx.consumer) return ["consumer", ctx.consumer.id];
  return prepared.anonymous ? ["anonymous"] : undefined;
}

/** The values of the named cookies, in that order (null when absent). */
export function cookieValues(header: string | null, names: readonly string[]): Array<string | null> {
  if (names.length === 0) return [];
  const found = new Map<string, string>();
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    const name = pair.slice(0, at).trim();
    if (at > 0 && !found.has(name)) found.set(name, pair.slice(at + 1).trim());
  }
  return names.map((name) => found.get(name) ?? null);
}

/**
 * The key of this GET (or HEAD) request, or undefined when it may not be
 * cached. `headers` are lower-cased names, each once: the declared header
 * parameters and the `vary` option's. `generations` are the purge
 * generations of the route and tags: a purge changes every key they are in.
 */
export async function cacheKey(
  request: Request,
  ctx: GatewayContext,
  prepared: CachePrepared,
  headers: readonly string[],
  generations: readonly number[] = [],
): Promise<Request | undefined> {
  const scope = scopeOf(ctx, prepared);
  if (!scope) return undefined;
  const url = new URL(request.url);
  const values = headers.map((name) => request.headers.get(name)?.trim() ?? null);
  const cookies = cookieValues(request.headers.get("cookie"), prepared.cookies);
  const route = [ctx.route.operationId, filledPath(ctx.route.path, ctx.params)];
  const material = JSON.stringify([prepared.instance, url.host, route, declaredQuery(url, prepared.query), values, cookies, scope, generations]);
  return new Request(`${KEY_ORIGIN}/${encodeURIComponent(ctx.route.operationId)}/${await sha256Hex(material)}`);
}
