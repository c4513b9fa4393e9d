import { describe, expect, it } from "vitest";
import { benchmarksDoc, overheadChart, startupChart, type Results } from "../../bench/lib/benchmarks-doc.ts";
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
    variants: [
      summary("bare", 1, 1),
      summary("forward", 0.95, 1),
      summary("auth+validation", 0.93, 1.1),
      summary("+ async limit", 0.7, 1.5),
      summary("+ strict limit", 0.61, 2),
    ].map((s, i) => ({ ...s, addedUs: [0, 10, 25, 60, 90][i] })),
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
    expect(row("forward's traffic management per request (upstream group, happy path, in workerd)")).toBe(
      "| forward's traffic management per request (upstream group, happy path, in workerd) | < 5.00 µs | 0.70 µs | met |",
    );
  });

  it("quotes each script's table, the memory of the largest document, the Durable Object cost and what each step adds", () => {
    for (const table of ["auth table", "rate-limit table", "scale table", "overhead table", "telemetry table", "traffic table"]) expect(doc).toContain(table);
    expect(doc).toContain("the isolate's V8 heap holds 13.4 MB (11.1 MB in use)");
    expect(row("async")).toBe("| async | 1000 | 86 | 8 (8 of 1000 admitted) |");
    expect(doc).toContain("Forwarding through Portico adds 10 µs");
    expect(doc).toContain("the API key and the query's validation 15 µs more; a rate-limit check 35 µs (async) or 65 µs (strict) more.");
    expect(doc).toContain("Portico's cache hit 450 µs, so the gateway adds 150 µs around the lookup");
    expect(doc).toContain("so a hit saves 150 µs here");
  });
});

describe("the charts", () => {
  it("draw one bar per variant, the baseline in its own colour, and the targets", () => {
    const svg = overheadChart(results);
    expect(svg.match(/<rect x="260"[^>]*height="18"/g)).toHaveLength(5);
    expect(svg.match(/fill="#8a8f98"/g)).toHaveLength(2); // the bare Worker's bar and its legend
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
