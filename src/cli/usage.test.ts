import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { tempProject } from "../../test/support/temp-project.ts";
import { parseSince, rowsOfAnswer, usageSql } from "./usage-query.ts";

const bin = fileURLToPath(new URL("../../bin/portico.js", import.meta.url).href);
const analyticsAnswer = readFileSync(fileURLToPath(new URL("../../test/fixtures/analytics-engine/usage-by-day.json", import.meta.url).href), "utf8");
const ADMIN_TOKEN = "dev-admin-token-0123456789abcdef0123";

/** What the gateway's GET /_portico/usage answers (the shape of src/policies/usage/usage-ledger.ts, UsageReport). */
const gatewayAnswer = {
  since: "2026-12-02T14:00:00.000Z",
  until: "2026-12-03T14:03:27.412Z",
  by: "operation",
  rows: [
    { group: "getExhibit", requests: 120, status2xx: 110, status4xx: 8, status5xx: 2, avgLatencyMs: 14.2, bytesIn: 0, bytesOut: 61440 },
    { group: "buyTicket", requests: 9, status2xx: 7, status4xx: 2, status5xx: 0, avgLatencyMs: 38.5, bytesIn: 783, bytesOut: 2286 },
  ],
};

interface Asked {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A server on 127.0.0.1 that records what it is asked and answers with the status and body given. */
async function serve(status: number, body: string): Promise<{ base: string; asked: Asked[] }> {
  const asked: Asked[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      asked.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body: text });
      res.writeHead(status, { "content-type": "application/json" }).end(body);
    });
  });
  await new Promise<void>((listening) => server!.listen(0, "127.0.0.1", listening));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, asked };
}

/** Runs `portico usage` as a user would, without blocking the server the test runs. */
function usage(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, "usage", ...args], {
    env: { ...process.env, PORTICO_ADMIN_TOKEN: undefined, CLOUDFLARE_ACCOUNT_ID: undefined, CLOUDFLARE_API_TOKEN: undefined, NO_COLOR: "1", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((done) => child.on("close", (code) => done({ code, stdout, stderr })));
}

describe("portico usage, from the running gateway", () => {
  it("asks GET /_portico/usage with the token of .dev.vars and prints a table", async () => {
    const { base, asked } = await serve(200, JSON.stringify(gatewayAnswer));
    const root = tempProject({ ".dev.vars": `PORTICO_ADMIN_TOKEN=${ADMIN_TOKEN}\n` });
    const before = Date.now();
    const { code, stdout } = await usage(["--gateway", base, "--root", root, "--consumer", "acme"]);
    expect(code).toBe(0);
    expect(asked).toHaveLength(1);
    const url = new URL(asked[0].url, base);
    expect([asked[0].method, url.pathname, [...url.searchParams.keys()]]).toEqual(["GET", "/_portico/usage", ["since", "by", "consumer"]]);
    expect(url.searchParams.get("by")).toBe("operation");
    expect(url.searchParams.get("consumer")).toBe("acme");
    const since = Date.parse(url.searchParams.get("since")!);
    expect(since).toBeGreaterThanOrEqual(before - 86_400_000 - 1000);
    expect(since).toBeLessThanOrEqual(Date.now() - 86_400_000);
    expect(asked[0].authorization).toBe(`Bearer ${ADMIN_TOKEN}`);
    expect(stdout).toBe(
      [
        `Usage by operation of consumer "acme" since 2026-12-02T14:00:00Z (the gateway at ${base}):`,
        "",
        "OPERATION   REQUESTS  2xx  4xx  5xx  AVG MS  BYTES IN  BYTES OUT",
        "getExhibit  120       110  8    2    14.2    0 B       60.0 KB",
        "buyTicket   9         7    2    0    38.5    783 B     2.2 KB",
        "",
      ].join("\n"),
    );
  });

  it("--json prints the report; the token comes from the environment first", async () => {
    const { base, asked } = await serve(200, JSON.stringify(gatewayAnswer));
    const root = tempProject({ ".dev.vars": "PORTICO_ADMIN_TOKEN=from-the-file-0123456789abcdef012345\n" });
    const { code, stdout } = await usage(["--gateway", base, "--root", root, "--by", "status", "--since", "2026-12-01", "--json"], {
      PORTICO_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(gatewayAnswer);
    expect(asked[0].authorization).toBe(`Bearer ${ADMIN_TOKEN}`);
    expect(new URL(asked[0].url, base).search).toBe(`?since=${encodeURIComponent("2026-12-01T00:00:00.000Z")}&by=status`);
  });

  it("says what a 404 means and how to open the route", async () => {
    const { base } = await serve(404, JSON.stringify({ type: "/docs/errors#not-found", status: 404 }));
    const { code, stderr } = await usage(["--gateway", base], { PORTICO_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(code).toBe(1);
    expect(stderr).toContain(
      `✘ ERROR: The gateway at ${base} answered 404 to GET /_portico/usage: its admin routes are closed to this token, or it records no usage.`,
    );
    expect(stderr).toContain("set PORTICO_ADMIN_TOKEN, at least 32 characters, in .dev.vars");
    expect(stderr).toContain("set `x-portico.telemetry.usage` in the document.");
  });

  it("says what is missing before asking anything", async () => {
    const root = tempProject({});
    expect((await usage(["--root", root])).stderr).toContain("✘ ERROR: No admin token.");
    expect((await usage(["--by", "week"], { PORTICO_ADMIN_TOKEN: ADMIN_TOKEN })).stderr).toContain('--by "week" is not a grouping.');
    expect((await usage(["--since", "yesterday"], { PORTICO_ADMIN_TOKEN: ADMIN_TOKEN })).stderr).toContain(
      '--since "yesterday" is neither a duration nor a date.',
    );
    expect((await usage(["--remote", "--gateway", "http://127.0.0.1:1"])).stderr).toContain("--remote and --gateway exclude each other.");
    const json = await usage(["--gateway", "http://gateway.example.com", "--json"], { PORTICO_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(JSON.parse(json.stdout).errors[0].message).toBe("http://gateway.example.com is not HTTPS: the admin token would travel in clear text.");
  });
});

describe("portico usage --remote, from Analytics Engine", () => {
  const project = () =>
    tempProject({
      "wrangler.toml":
        'name = "gw"\n\n[[analytics_engine_datasets]]\nbinding = "OTHER"\ndataset = "other_events"\n\n[[analytics_engine_datasets]]\nbinding = "USAGE"\ndataset = "portico_usage"\n',
      "openapi/openapi.yaml": "openapi: 3.1.0\ninfo: { title: T, version: '1' }\nx-portico:\n  telemetry:\n    usage: USAGE\npaths: {}\n",
    });
  const cloudflare = (base: string) => ({
    PORTICO_CLOUDFLARE_API: base,
    CLOUDFLARE_ACCOUNT_ID: "0123456789abcdef0123456789abcdef",
    CLOUDFLARE_API_TOKEN: "cf-token",
  });

  it("posts the SQL for the usage binding's dataset and prints its rows", async () => {
    const { base, asked } = await serve(200, analyticsAnswer);
    const { code, stdout, stderr } = await usage(["--remote", "--root", project(), "--by", "day", "--since", "7d", "--consumer", "acme"], cloudflare(base));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(asked).toMatchObject([{ method: "POST", url: "/accounts/0123456789abcdef0123456789abcdef/analytics_engine/sql", authorization: "Bearer cf-token" }]);
    expect(asked[0].body).toBe(
      [
        "SELECT",
        "  formatDateTime(timestamp, '%Y-%m-%d') AS group_key,",
        "  SUM(_sample_interval) AS requests,",
        "  SUM(IF(blob3 = '2xx', _sample_interval, 0)) AS status2xx,",
        "  SUM(IF(blob3 = '4xx', _sample_interval, 0)) AS status4xx,",
        "  SUM(IF(blob3 = '5xx', _sample_interval, 0)) AS status5xx,",
        "  SUM(_sample_interval * double2) / SUM(_sample_interval) AS avg_latency_ms,",
        "  SUM(_sample_interval * double3) AS bytes_in,",
        "  SUM(_sample_interval * double4) AS bytes_out,",
        "  SUM(_sample_interval * double6) AS tokens",
        "FROM portico_usage",
        "WHERE timestamp > NOW() - INTERVAL '7' DAY AND index1 = 'acme'",
        "GROUP BY group_key",
        "ORDER BY requests DESC, group_key",
        "FORMAT JSON",
      ].join("\n"),
    );
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^Usage by day of consumer "acme" since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(Analytics Engine, dataset portico_usage\):$/);
    expect(lines.slice(2)).toEqual([
      "DAY         REQUESTS  2xx   4xx  5xx  AVG MS  BYTES IN  BYTES OUT",
      "2026-12-02  1240      1187  49   4    17.3    10.0 KB   1.5 MB",
      "2026-12-01  1046      1040  6    0    16.0    0 B       1.3 MB",
      "2026-12-03  312       280   30   2    21.4    2.0 KB    392.7 KB",
      "",
    ]);
  });

  it("--json gives the rows in the shape the gateway answers", async () => {
    const { base } = await serve(200, analyticsAnswer);
    const { stdout } = await usage(["--remote", "--root", project(), "--by", "day", "--json"], cloudflare(base));
    const report = JSON.parse(stdout);
    expect(report.by).toBe("day");
    expect(Date.parse(report.until) - Date.parse(report.since)).toBe(86_400_000);
    expect(report.rows[0]).toEqual({
      group: "2026-12-02",
      requests: 1240,
      status2xx: 1187,
      status4xx: 49,
      status5xx: 4,
      avgLatencyMs: 17.3,
      bytesIn: 10240,
      bytesOut: 1569792,
    });
  });

  it("says when the token may not read analytics, or what is missing", async () => {
    const { base } = await serve(
      403,
      JSON.stringify({ success: false, errors: [{ code: 10000, message: "Authentication error" }], messages: [], result: null }),
    );
    const refused = await usage(["--remote", "--root", project()], cloudflare(base));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("✘ ERROR: Analytics Engine refused the usage query (403): Authentication error");
    expect(refused.stderr).toContain("CLOUDFLARE_API_TOKEN needs the permission Account Analytics: Read");
    expect((await usage(["--remote", "--root", project()], { ...cloudflare(base), CLOUDFLARE_API_TOKEN: undefined })).stderr).toContain(
      "No Cloudflare API token.",
    );
    const noDataset = await usage(["--remote", "--root", tempProject({ "wrangler.toml": 'name = "gw"\n' })], cloudflare(base));
    expect(noDataset.stderr).toContain("The usage dataset is not known: wrangler.toml binds no Analytics Engine dataset");
    expect((await usage(["--remote", "--dataset", "bad-name"], cloudflare(base))).stderr).toContain('"bad-name" is not an Analytics Engine dataset name.');
    const ledger = tempProject({
      "wrangler.toml": '[[durable_objects.bindings]]\nname = "USAGE"\nclass_name = "UsageLedger"\n',
      "openapi/openapi.yaml": "openapi: 3.1.0\ninfo: { title: T, version: '1' }\nx-portico:\n  telemetry:\n    usage: USAGE\npaths: {}\n",
    });
    expect((await usage(["--remote", "--root", ledger], cloudflare(base))).stderr).toContain("fix: drop --remote: the gateway answers for its ledger");
  });
});

describe("the usage query", () => {
  const now = Date.parse("2026-12-03T14:00:00.000Z");

  it("reads --since as a duration or a date in the past, in SQL as Analytics Engine takes it", () => {
    expect(parseSince("24h", now)).toEqual({ at: new Date("2026-12-02T14:00:00.000Z"), sql: "timestamp > NOW() - INTERVAL '24' HOUR" });
    expect(parseSince("2w", now)).toMatchObject({ sql: "timestamp > NOW() - INTERVAL '14' DAY" });
    expect(parseSince("30m", now)).toMatchObject({ sql: "timestamp > NOW() - INTERVAL '30' MINUTE" });
    expect(parseSince("2026-12-01T08:30:00+01:00", now)).toEqual({
      at: new Date("2026-12-01T07:30:00.000Z"),
      sql: "timestamp > toDateTime('2026-12-01 07:30:00')",
    });
    expect(parseSince("2027-01-01", now)).toMatchObject({ problem: { message: '--since "2027-01-01" is not in the past.' } });
  });

  it("groups by the dataset's column for each grouping, and quotes a consumer safely", () => {
    const since = { at: new Date(now), sql: "timestamp > NOW() - INTERVAL '1' DAY" };
    expect(usageSql({ dataset: "d", since, by: "operation" })).toContain("  blob1 AS group_key,");
    expect(usageSql({ dataset: "d", since, by: "status" })).toContain("  blob3 AS group_key,");
    expect(usageSql({ dataset: "d", since, by: "consumer" })).toContain("  blob4 AS group_key,");
    expect(usageSql({ dataset: "d", since, by: "operation", consumer: "o'hara\\" })).toContain("AND index1 = 'o\\'hara\\\\'");
  });

  it("reads the answer's numbers whether written as numbers or strings", () => {
    expect(
      rowsOfAnswer({
        data: [{ group_key: "2xx", requests: "3", status2xx: 3, status4xx: "0", status5xx: 0, avg_latency_ms: 1.26, bytes_in: 0, bytes_out: "10" }],
      }),
    ).toEqual([{ group: "2xx", requests: 3, status2xx: 3, status4xx: 0, status5xx: 0, avgLatencyMs: 1.3, bytesIn: 0, bytesOut: 10 }]);
    expect(rowsOfAnswer({ errors: [] })).toBeUndefined();
  });
});
