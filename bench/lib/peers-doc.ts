/**
 * @module
 * The peers section of docs/benchmarks.md and its rows in the targets: each
 * Portico variant judged against the hand-written Hono Worker measured in the
 * same run of bench/overhead.ts, and the open peers outside Workers that
 * bench/peers.ts measured on the same origin and load, each with what it does
 * and does not do compared with Portico.
 */
import { PEER_P99_RATIO, PEER_THROUGHPUT_GAP, type PeerVerdict } from "./peer-verdicts.ts";
import type { Summary } from "./report.ts";

export interface PeersResults {
  printed: string;
  variants: Summary[];
  fastify: { version: string };
  /** `version` is absent where no haproxy binary could be run. */
  haproxy: { version?: string; measured: boolean };
}

const share = (value: number) => `×${value.toFixed(2)}`;
const signed = (value: number) => `${value < 0 ? "−" : "+"}${Math.abs(value).toFixed(2)}`;
const verdict = (met: boolean) => (met ? "met" : "**missed**");

/** Two rows a Portico variant: its throughput and its p99, each against its Hono peer's from the same rounds. */
export function peerTargetRows(verdicts: PeerVerdict[] | undefined): string[][] {
  return (verdicts ?? []).flatMap((v) => [
    [
      `${v.variant}: throughput against the Hono Worker`,
      `≥ Hono's ×bare ${signed(-PEER_THROUGHPUT_GAP)}`,
      `${share(v.share)} vs ${share(v.peerShare)} (${signed(v.gap)})`,
      verdict(v.throughputMet),
    ],
    [`${v.variant}: p99 against the Hono Worker`, `≤ ×${PEER_P99_RATIO.toFixed(1)} of Hono's`, share(v.p99Ratio), verdict(v.p99Met)],
  ]);
}

const HAPROXY_HOW = [
  "Its binary is Debian's package: `apt-get install haproxy` as root, or without root",
  "`apt-get download haproxy liblua5.3-0 libopentracing-c-wrapper0 libopentracing1`, `dpkg -x` each into a folder, and",
  "`HAPROXY=<folder>/usr/sbin/haproxy LD_LIBRARY_PATH=<folder>/usr/lib/x86_64-linux-gnu npm run bench:peers`.",
].join(" ");

export function peersSection(verdicts: PeerVerdict[] | undefined, peers: PeersResults): string {
  const judged = (verdicts ?? []).map((v) => [
    v.variant,
    v.peer,
    share(v.share),
    share(v.peerShare),
    signed(v.gap),
    verdict(v.throughputMet),
    share(v.p99Ratio),
    verdict(v.p99Met),
  ]);
  const hono = judged.length
    ? [
        "| Portico | its peer | ×bare | peer's ×bare | difference | within 0.05 | p99 ÷ peer's | within ×1.2 |",
        "|---|---|---|---|---|---|---|---|",
        ...judged.map((row) => `| ${row.join(" | ")} |`),
      ].join("\n")
    : "The overhead run measured no Hono peer.";
  const haproxyNote = peers.haproxy.measured
    ? `${peers.haproxy.version}. ${HAPROXY_HOW}`
    : `**Not measured on this machine**: no haproxy binary could be run here, so its rows are missing from the table above. ${HAPROXY_HOW}`;
  return `## Peers

### A hand-written Hono Worker doing the same work

\`bench/overhead.ts\` serves [bench/gateways/overhead/hono.ts](../bench/gateways/overhead/hono.ts) from the same \`workerd serve\` as the bare Worker and Portico, on the same routes, origin and load, measured in the same alternating rounds (its rows in the overhead table above). It is written as a competent Hono user would, with Hono's own middleware where it has one: \`bearerAuth\` reading the key from \`X-API-Key\` (its SHA-256 looked up in a one-record store and kept for 60 s, as Portico keeps a consumer read from KV), \`validator("query")\` with a plain function for \`limit\` (an integer from 1 to 100) and \`sort\` (one of three words), \`timeout\` for the upstream's deadline, \`proxy\` for the forward, with the key taken out and \`X-Consumer-Id\` and \`X-Forwarded-*\` put in; \`requestId\` answers each request's id as \`X-Request-Id\`, and a middleware of a few lines writes one JSON access line per request with the fields Portico's has on these routes, as Portico does by default (one \`console.log\` a request is a cost in workerd, and a gateway that logs nothing does less work, not the same work more cheaply). Its async limit counts each key in a Durable Object of its own (a fixed window in memory, written through to storage), asked in \`waitUntil\` after the request goes on, and refuses a key from memory once its counter says it is full.

What it does not do that Portico does: its refusals are Hono's plain text or a small JSON body, not RFC 9457 problems; no trace context (\`traceparent\`) or spans; no key checksum before the hash; no consumer tier or scopes; no RateLimit header estimated per key (only \`RateLimit-Policy\`), and one Durable Object request per request where Portico sends one report per key at a time; no validation derived from the document, so the check is written again by hand and can drift from it. A validator library (Zod, Valibot) instead of the plain function would cost the peer more; Ajv's compiled validators need code generation, which workerd refuses.

Judged on this run (median over rounds of each difference, Portico and its peer from the same round):

${hono}

### Open peers outside Workers

\`npm run bench:peers\` (\`bench/peers.ts\`) serves the same three routes with the same origin, keys and load beside the bare Worker and Portico: every gateway pinned to core 0, one at a time under load, the origin and the load generator on core 1.

- **Fastify** ${peers.fastify.version} ([bench/lib/fastify-peer.ts](../bench/lib/fastify-peer.ts)) runs on Node, not workerd: one process, one core, no isolate limits, no edge. fastify-openapi-glue makes the routes and their query validation from the same OpenAPI document (Fastify's Ajv, its validators compiled by code generation when the server starts, query strings coerced); the glue's handler for the \`key\` scheme does the same SHA-256 lookup with a 60 s cache; @fastify/rate-limit counts in the process's own memory, before the request goes on, for this process alone (instances do not share counts without a Redis store, which would add a round trip); @fastify/reply-from forwards over undici's keep-alive pool. Errors are Fastify's JSON, not problem+json; the logger is off; no trace context.
- **HAProxy** ([bench/lib/haproxy-peer.ts](../bench/lib/haproxy-peer.ts)) reads no OpenAPI: its rules are written by hand, the key's SHA-256 looked up in a map file, \`limit\` and \`sort\` checked by ACLs (a regular expression and a word list), the limit counted in a stick table of this process (shared with other instances only through \`peers\`), \`X-Consumer-Id\` and \`X-Forwarded-*\` set, the base path stripped. One thread. Its refusals are bare status pages; no access log is configured; no trace context. ${haproxyNote}

\`\`\`
${peers.printed.trim()}
\`\`\`

None of the measured routes takes a JWT, so neither \`hono/jwt\`, @fastify/jwt nor HAProxy's \`jwt_verify\` is among them; \`bench:auth\` measures Portico's JWT verification alone.

The load generator is Node on core 1 beside the origin: a gateway faster than it can drive (HAProxy, on a 2-core machine) shows the load generator's limit, not its own. The figures are from a shared machine and move from run to run; the ratios to the bare Worker of the same round hold better than the absolute ones.

`;
}
