import { describe, expect, it } from "vitest";
import { benchmarksDoc, overheadChart, startupChart, type Results } from "../../bench/lib/benchmarks-doc.ts";
import { peerVerdicts } from "../../bench/lib/peer-verdicts.ts";
import type { Summary } from "../../bench/lib/report.ts";

const summary = (variant: string, requestsPerSecond: number, p99: number): Summary => ({
  variant,
  requests: 1000,
  medianUs: 500,
  p99Us: 1000 * p99,
  requestsPerSecond: 8000 * requestsPerSecond,
  addedUs: 0,
  ratio: { median: 1, p99, requestsPerSecond },
  rounds: [],
});

/** A variant measured in three rounds, at these shares of 8,000 req/s and these p99s (ms); its ratios are the bare Worker's 8,000 req/s and 1 ms each round. */
const measured = (variant: string, shares: number[], p99s: number[]): Summary => ({
  ...summary(variant, [...shares].sort((a, b) => a - b)[1], [...p99s].sort((a, b) => a - b)[1]),
  rounds: shares.map((share, i) => ({ medianUs: 500, p99Us: 1000 * p99s[i], requestsPerSecond: 8000 * share })),
});

const overheadVariants = [
  measured("bare", [1, 1, 1], [1, 1, 1]),
  measured("forward", [0.95, 0.94, 0.96], [1, 1, 1]),
  measured("Hono forward", [0.97, 0.99, 0.98], [1, 1, 1]),
  measured("auth+validation", [0.93, 0.92, 0.94], [1.1, 1.1, 1.1]),
  measured("Hono auth+validation", [0.96, 0.96, 0.96], [1, 1, 1]),
  measured("+ async limit", [0.7, 0.6, 0.8], [1.5, 1.5, 1.5]),
  measured("Hono + async limit", [0.9, 0.9, 0.9], [1, 1, 1]),
  measured("+ strict limit", [0.61, 0.61, 0.61], [2, 2, 2]),
].map((s, i) => ({ ...s, addedUs: [0, 10, 8, 25, 12, 60, 20, 90][i] }));

const results: Results = {
  auth: { printed: "auth table" },
  rateLimit: {
    printed: "rate-limit table",
    perRequest: {
      variants: [
        { ...summary("async", 0.6, 1), durableRequestsPerThousand: 1000 },
        { ...summary("strict", 0.5, 1), durableRequestsPerThousand: 1000 },
      ],
    },
    oneKey: {
      variants: [
        { ...summary("strict, 1 key", 0.5, 1), durableRequestsPerThousand: 1000 },
        { ...summary("async, 1 key", 0.8, 1), durableRequestsPerThousand: 86.2 },
      ],
    },
    overLimit: [
      { variant: "strict, limit 5", requests: 1000, admitted: 5, refused: 995, durableRequestsPerThousand: 1000 },
      { variant: "async, limit 5", requests: 1000, admitted: 8, refused: 992, durableRequestsPerThousand: 8 },
    ],
  },
  scale: {
    printed: "scale table",
    fixtures: "../shared/fixtures",
    documents: [
      {
        name: "real-world/openai/openapi.json",
        operations: 288,
        gzipBytes: 540_000,
        evaluationMs: 41.2,
        startupMs: 71.4,
        heapUsedBytes: 11_600_000,
        heapTotalBytes: 14_000_000,
        peakRssAddedBytes: 45_000_000,
      },
      { name: "real-world/stripe/spec3.yaml", operations: 468, gzipBytes: 840_000, evaluationMs: 120.5, startupMs: 180, heapUsedBytes: 24_000_000 },
    ],
    routing: [
      { routes: 10, ratio: 1 },
      { routes: 5000, ratio: 1.03 },
    ],
  },
  overhead: {
    printed: "overhead table",
    variants: overheadVariants,
    peers: peerVerdicts(
      overheadVariants,
      { forward: "Hono forward", "auth+validation": "Hono auth+validation", "+ async limit": "Hono + async limit" },
      "bare",
    ),
  },
  telemetry: { printed: "telemetry table" },
  traffic: {
    printed: "traffic table",
    variants: [summary("bare", 1, 1), summary("bare cache hit", 0.5, 1.5), summary("cache hit", 0.4, 2), summary("no cache", 0.3, 2)].map((s, i) => ({
      ...s,
      addedUs: [0, 300, 450, 600][i],
    })),
    machinery: { nsPerRequest: 700, judgedIn: "workerd", targetNs: 5000, met: true },
  },
  peers: {
    printed: "open peers table",
    variants: [summary("bare", 1, 1), summary("Fastify forward", 0.5, 2)],
    fastify: { version: "5.12.8" },
    haproxy: { measured: false },
  },
  portal: {
    printed: "portal table",
    document: { full: true, name: "full", operationPages: 468 },
    largestPage: { path: "operations/PostPaymentIntents", totalGzipBytes: 26_700 },
    lcp: { targetMs: 1000, home: { medianMs: 620.4 }, operation: { medianMs: 1100 } },
  },
};

const machine = { date: "2026-11-26", cpu: "Test CPU", cores: 2, node: "24.21.0", workerd: "1.2", wrangler: "4.1", seconds: 180 };

describe("docs/benchmarks.md", () => {
  const doc = benchmarksDoc(results, machine);
  const row = (what: string) => doc.split("\n").find((line) => line.startsWith(`| ${what} |`));

  it("judges every target on the run's own figures", () => {
    expect(row("auth+validation: throughput")).toBe("| auth+validation: throughput | ≥ ×0.90 of bare | ×0.93 | met |");
    expect(row("auth+validation: p99")).toContain("| ×1.10 | met |");
    expect(row("+ async limit: throughput")).toContain("| ×0.70 | **missed** |");
    expect(row("+ strict limit: throughput")).toContain("| ×0.61 | met |");
    expect(row("OpenAI's document: start-up (module evaluation in workerd)")).toContain("| 41.2 ms | met |");
    expect(row("OpenAI's document: spawn to first response")).toContain("| 71.4 ms |");
    expect(row("OpenAI's document: bundle, gzipped")).toContain("| 527 KB | met |");
    expect(row("slowest document to start (real-world/stripe/spec3.yaml)")).toContain("| 120.5 ms | over 100 ms |");
    expect(row("routing at 5,000 routes")).toContain("| ×1.03 | met |");
    expect(row("forward: throughput against the Hono Worker")).toBe(
      "| forward: throughput against the Hono Worker | ≥ Hono's ×bare −0.05 | ×0.95 vs ×0.98 (−0.02) | met |",
    );
    expect(row("forward: p99 against the Hono Worker")).toBe("| forward: p99 against the Hono Worker | ≤ ×1.2 of Hono's | ×1.00 | met |");
    expect(row("auth+validation: throughput against the Hono Worker")).toContain("| ×0.93 vs ×0.96 (−0.03) | met |");
    expect(row("auth+validation: p99 against the Hono Worker")).toContain("| ×1.10 | met |");
    expect(row("+ async limit: throughput against the Hono Worker")).toContain("| ×0.70 vs ×0.90 (−0.20) | **missed** |");
    expect(row("+ async limit: p99 against the Hono Worker")).toContain("| ×1.50 | **missed** |");
    expect(row("forward's traffic management per request (upstream group, happy path, in workerd)")).toBe(
      "| forward's traffic management per request (upstream group, happy path, in workerd) | < 5.00 µs | 0.70 µs | met |",
    );
    expect(row("Stripe's portal: LCP of the home page (Slow 4G, CPU ×4)")).toContain("| < 1.0 s | 620 ms | met |");
    expect(row("Stripe's portal: LCP of the largest operation page (Slow 4G, CPU ×4)")).toContain("| 1100 ms | **missed** |");
  });

  it("quotes each script's table, the memory of the largest document, the Durable Object cost and what each step adds", () => {
    for (const table of [
      "auth table",
      "rate-limit table",
      "scale table",
      "overhead table",
      "telemetry table",
      "traffic table",
      "open peers table",
      "portal table",
    ])
      expect(doc).toContain(table);
    expect(doc).toContain("the isolate's V8 heap holds 13.4 MB (11.1 MB in use)");
    expect(row("async")).toBe("| async | 1000 | 86 | 8 (8 of 1000 admitted) |");
    expect(doc).toContain("Forwarding through Portico adds 10 µs");
    expect(doc).toContain("the API key and the query's validation 15 µs more; a rate-limit check 35 µs (async) or 65 µs (strict) more.");
    expect(doc).toContain("Portico's cache hit 450 µs, so the gateway adds 150 µs around the lookup");
    expect(doc).toContain("so a hit saves 150 µs here");
  });
});

describe("the peers section", () => {
  const doc = benchmarksDoc(results, machine);
  const peers = doc.slice(doc.indexOf("## Peers"), doc.indexOf("## Scale"));

  it("judges each Portico variant against its Hono peer from the same rounds, not from the medians", () => {
    // forward's rounds differ by −0.02, −0.05 and −0.02: the median of the differences, not of the shares (×0.95 − ×0.98).
    expect(peers).toContain("| forward | Hono forward | ×0.95 | ×0.98 | −0.02 | met | ×1.00 | met |");
    expect(peers).toContain("| + async limit | Hono + async limit | ×0.70 | ×0.90 | −0.20 | **missed** | ×1.50 | **missed** |");
  });

  it("says what each peer does not do, and that HAProxy was not measured here and how to run it", () => {
    expect(peers).toContain("not RFC 9457 problems; no trace context (`traceparent`)");
    expect(peers).toContain("one JSON access line per request");
    expect(peers).toContain("runs on Node, not workerd");
    expect(peers).toContain("HAProxy** ([bench/lib/haproxy-peer.ts](../bench/lib/haproxy-peer.ts)) reads no OpenAPI");
    expect(peers).toContain("**Not measured on this machine**");
    expect(peers).toContain("`apt-get install haproxy`");
    const measuredHere = benchmarksDoc({ ...results, peers: { ...results.peers, haproxy: { measured: true, version: "HAProxy 2.6.12" } } }, machine);
    expect(measuredHere).not.toContain("Not measured on this machine");
    expect(measuredHere).toContain("HAProxy 2.6.12. Its binary is Debian's package");
  });
});

describe("the charts", () => {
  it("draw one bar per variant, the baseline in its own colour, and the targets", () => {
    const svg = overheadChart(results);
    expect(svg.match(/<rect x="260"[^>]*height="18"/g)).toHaveLength(8);
    expect(svg.match(/fill="#8a8f98"/g)).toHaveLength(2); // the bare Worker's bar and its legend
    expect(svg.match(/fill="#d9822b"/g)).toHaveLength(4); // the three Hono Workers' bars and their legend
    expect(svg).toContain("hand-written peer");
    expect(svg).toContain("target 0.9");
    expect(svg).toContain("+ strict limit ×0.61 (4880 req/s)");
  });

  it("name long documents within the label column, slowest first", () => {
    const svg = startupChart({
      ...results,
      scale: {
        ...results.scale,
        documents: [...results.scale.documents, { ...results.scale.documents[0], name: "real-world/adyen/ManagementService-v3.json", evaluationMs: 10 }],
      },
    });
    expect(svg.indexOf("stripe/spec3.yaml")).toBeLessThan(svg.indexOf("openai/openapi.json"));
    expect(svg).toContain(">adyen/ManagementService-v3.js…<");
    expect(svg).toContain("100 ms");
  });

  it("escape what the markup would read as its own", () => {
    const svg = overheadChart({ ...results, overhead: { ...results.overhead, variants: [summary('bare <"&>', 1, 1)] } });
    expect(svg).toContain("bare &lt;&quot;&amp;&gt;");
    expect(svg).not.toContain('bare <"&>');
  });
});
