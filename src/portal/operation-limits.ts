/**
 * @module
 * What the gateway itself does to an operation's calls, as the build planned
 * it: the rate limits and quotas it counts them under, and how it caches answers.
 */
import { escapeHtml } from "./html.ts";
import type { PortalCache, PortalCount } from "../portal-input.ts";

export function limitsSection(limits: PortalCount[]): string {
  if (!limits.length) return "";
  const rows = limits.flatMap((limit) => {
    const per = limit.kind === "rate-limit" ? `${limit.window ?? 60} s` : (limit.period ?? "month");
    const kind = limit.kind === "rate-limit" ? "Rate limit" : "Quota";
    const base = `<tr><td>${kind}</td><td>${escapeHtml(limit.name)}</td><td>default</td><td>${escapeHtml(limit.limit)} per ${escapeHtml(per)}</td><td>${escapeHtml(limit.by ?? "")}</td></tr>`;
    const tiers = Object.entries(limit.tiers ?? {}).map(([tier, value]) => {
      const tierPer = limit.kind === "rate-limit" ? `${value.window ?? limit.window ?? 60} s` : per;
      // Callers without a consumer are counted by address, whatever the policy counts the others by.
      const by = tier === "anonymous" ? "address (IP)" : (limit.by ?? "");
      return `<tr><td>${kind}</td><td>${escapeHtml(limit.name)}</td><td>${escapeHtml(tier)}</td><td>${escapeHtml(value.limit)} per ${escapeHtml(tierPer)}</td><td>${escapeHtml(by)}</td></tr>`;
    });
    return [base, ...tiers];
  });
  return `<section aria-labelledby="limits"><h2 id="limits">Limits</h2><div class="table-wrap" tabindex="0" role="region" aria-label="Limits table"><table><thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Tier</th><th scope="col">Allowed</th><th scope="col">Counted by</th></tr></thead><tbody>${rows.join("")}</tbody></table></div><p class="muted">Answers carry <code>RateLimit</code> and <code>RateLimit-Policy</code> headers; past a limit the gateway answers 429 with <code>Retry-After</code>.</p></section>`;
}

/** How long answers are cached, and whose they are. */
export function cachingSection(caches: PortalCache[]): string {
  if (!caches.length) return "";
  const items = caches.map((cache) => {
    const kept = cache.ttl === undefined ? "as long as the API's Cache-Control allows" : `for ${cache.ttl} s`;
    const whose = cache.by === "consumer" ? "per consumer: one caller's answers are never served to another" : "shared: every caller gets the same answer";
    const stale = cache.staleWhileRevalidate === undefined ? "" : `, then served up to ${cache.staleWhileRevalidate} s longer while refreshed`;
    return `<li>Answers are cached ${escapeHtml(kept)}${escapeHtml(stale)}, ${escapeHtml(whose)}.</li>`;
  });
  return `<section aria-labelledby="caching"><h2 id="caching">Caching</h2><ul>${items.join("")}</ul><p class="muted">Cached answers carry <code>Age</code> and <code>Cache-Status: Portico; hit</code>.</p></section>`;
}
