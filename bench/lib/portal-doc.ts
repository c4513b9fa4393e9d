/**
 * @module
 * The portal section of docs/benchmarks.md and its rows in the targets, from
 * what bench/portal.ts printed: Stripe's portal on disk, its largest page as
 * sent, and its LCP on a throttled connection judged against the target.
 */

interface Lcp {
  medianMs: number;
}

export interface PortalResults {
  printed: string;
  document: { full: boolean; name: string; operationPages: number };
  largestPage: { path: string; totalGzipBytes: number };
  lcp: { targetMs: number; home: Lcp; operation: Lcp };
}

/** The targets table's rows: each page's LCP, judged on this run. */
export function portalTargetRows(portal: PortalResults): string[][] {
  const row = (what: string, lcp: Lcp) => [
    `Stripe's portal: LCP of ${what} (Slow 4G, CPU ×4)`,
    `< ${(portal.lcp.targetMs / 1000).toFixed(1)} s`,
    `${lcp.medianMs.toFixed(0)} ms`,
    lcp.medianMs < portal.lcp.targetMs ? "met" : "**missed**",
  ];
  return [row("the home page", portal.lcp.home), row("the largest operation page", portal.lcp.operation)];
}

export function portalSection(portal: PortalResults): string {
  return `## Portal

The developer portal of Stripe's ${portal.document.full ? "full" : "trimmed"} document (${portal.document.operationPages} operation pages), built by \`portico build\` as a user's project and served from this machine as Workers Static Assets serve it, its \`_headers\` applied and text gzipped. LCP is read by a \`PerformanceObserver\` in Chromium with Lighthouse's mobile throttling emulated through the DevTools Protocol (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU ×4), each load with a cold cache; the round trip is added to each request, not to a connection's handshakes, as DevTools throttles. Search is timed unthrottled, from the query's input event to the frame that shows its results.

${["```", portal.printed.trim(), "```"].join("\n")}
`;
}
