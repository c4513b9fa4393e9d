/**
 * @module
 * The traffic section of docs/benchmarks.md and its row in the targets, from
 * what bench/traffic.ts printed: where each figure was measured, and what a
 * cache hit and forward's traffic management cost in this run.
 */
import type { Summary } from "./report.ts";

export interface TrafficResults {
  printed: string;
  variants: Summary[];
  machinery: {
    /** Absent when the clock could not time it where it was judged. */
    nsPerRequest?: number;
    judgedIn: "workerd" | "node";
    targetNs: number;
    met: boolean;
  };
}

const us = (value: number) => `${value < 0 ? "−" : ""}${Math.abs(value).toFixed(0)} µs`;
const microseconds = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;

/** The targets table's row: forward's traffic management per request, judged on this run. */
export function trafficTargetRow(traffic: TrafficResults): string[] {
  const { nsPerRequest, judgedIn, targetNs, met } = traffic.machinery;
  return [
    `forward's traffic management per request (upstream group, happy path, in ${judgedIn === "workerd" ? "workerd" : "Node"})`,
    `< ${microseconds(targetNs)}`,
    nsPerRequest === undefined ? "?" : microseconds(nsPerRequest),
    met ? "met" : "**missed**",
  ];
}

/** What a Portico hit adds to the Cache API's own lookup, and what a hit saves against forwarding, from this run. */
function whatAHitCosts(variants: Summary[]): string {
  const added = (name: string) => variants.find((s) => s.variant === name)?.addedUs;
  const [bareHit, hit, forwarded] = ["bare cache hit", "cache hit", "no cache"].map(added);
  if (bareHit === undefined || hit === undefined || forwarded === undefined) return "";
  return [
    `In this run, against the bare Worker: the Cache API's own lookup adds ${us(bareHit)} a request, Portico's cache hit ${us(hit)}, so the gateway adds ${us(hit - bareHit)} around the lookup (its request pipeline and routing, the key's SHA-256, the purge generations it remembers, Cache-Status and Age);`,
    `forwarding the same route to the origin adds ${us(forwarded)}, so a hit ${forwarded - hit >= 0 ? `saves ${us(forwarded - hit)}` : `costs ${us(hit - forwarded)} more`} here, with an origin on this machine that answers at once.`,
  ].join(" ");
}

export function trafficSection(traffic: TrafficResults): string {
  return `## Traffic management

A cache hit (the \`cache\` policy, \`by: shared\`, \`ttl: 300\`) against a bare Worker that answers the same page itself, a bare Worker that answers it from the Cache API, and the same route without the cache, forwarded to an origin on this machine; then forward's bookkeeping for an upstream group of three weighted targets (retry eligibility, the choice, the circuit breaker's admission and the success it records), per request.

Where each figure is measured: everything runs under Miniflare, as \`wrangler dev\` serves, since plain \`workerd serve\` has no Cache API. Miniflare's Cache API is a Durable Object of its own in the same workerd process, on the same thread as the Workers, storing in SQLite and files on this machine's disk, and the cache's purge generations come from the gateway's \`CachePurges\` Durable Object in that process too (read once every 5 s). On Cloudflare the cache is the data centre's and the Durable Object runs elsewhere, so no local figure gives a hit's latency there; the comparison with the bare Workers is what carries over. Forward's bookkeeping is timed inside the isolate, across an awaited I/O (on Cloudflare the clock moves only with I/O), and in Node on the same module for reference; the target is judged in ${traffic.machinery.judgedIn === "workerd" ? "workerd" : "Node, since workerd's clock could not time it"}.

${["```", traffic.printed.trim(), "```"].join("\n")}

${whatAHitCosts(traffic.variants)}
`;
}
