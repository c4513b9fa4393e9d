/**
 * @module
 * `portico usage`: requests, statuses, latency and bytes per operation,
 * status class, day or consumer. From the running gateway's admin route
 * (GET /_portico/usage, which answers only to PORTICO_ADMIN_TOKEN), or with
 * --remote from the Analytics Engine dataset the deployed gateway writes to.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { escapeControls, formatBytes } from "./access-line.ts";
import { adminGet, adminToken, DEFAULT_GATEWAY, NO_ADMIN_TOKEN } from "./admin-client.ts";
import { printProblem, type Problem, table } from "./style.ts";
import { GROUPINGS, parseSince, type Grouping, type UsageReport } from "./usage-query.ts";
import { remoteUsage, usageDataset } from "./usage-remote.ts";

export const USAGE_HELP = `portico usage — who called what, how often, how it went

Usage: portico usage [--consumer <id>] [--since 24h|7d|<ISO date>]
                     [--by operation|status|day|consumer] [--json]
                     [--gateway <url>] [--remote [--dataset <name>]]

Prints one row per group: requests, 2xx, 4xx and 5xx answers, mean latency,
bytes in and out. The gateway records usage when the document sets
x-portico.telemetry.usage.

Without --remote it asks the running gateway (GET /_portico/usage), which
answers only when its PORTICO_ADMIN_TOKEN (at least 32 characters) is set and
is the token sent: $PORTICO_ADMIN_TOKEN, else the line in .dev.vars.

--remote asks Workers Analytics Engine for the deployed gateway's dataset,
with CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (Account Analytics: Read).

Options:
  --consumer <id>   Only this consumer's requests ("anonymous": callers without one)
  --since <when>    From this long ago (30m, 24h, 7d, 2w) or this date (default: 24h)
  --by <grouping>   operation (default), status (class), day (UTC) or consumer
  --gateway <url>   The gateway's base URL (default: ${DEFAULT_GATEWAY}, \`npm run dev\`);
                    HTTPS, or HTTP to this machine only
  --remote          The Analytics Engine dataset of the deployed gateway
  --dataset <name>  That dataset's name (default: the one wrangler.toml binds for usage)
  --root <dir>      The project folder (default: the current folder)
  --json            Print the report, or the error, as JSON`;

type Answer<T> = T | { problem: Problem };

function readArgs(argv: string[]) {
  const text = { type: "string" } as const;
  const flag = { type: "boolean" } as const;
  return parseArgs({
    args: argv,
    options: { consumer: text, since: text, by: text, gateway: text, dataset: text, root: text, remote: flag, json: flag, help: { ...flag, short: "h" } },
  }).values;
}

const problem = (message: string, where: string, hint: string): { problem: Problem } => ({ problem: { message, where, hint } });

async function gatewayUsage(root: string, base: string, query: URLSearchParams): Promise<Answer<UsageReport>> {
  const token = adminToken(root);
  if (!token) return { problem: NO_ADMIN_TOKEN };
  const asked = await adminGet(base, `/_portico/usage?${query}`, token, "--gateway");
  if ("problem" in asked) return asked;
  const { url, response } = asked;
  if (response.status === 404 || response.status === 401 || response.status === 403) {
    return problem(
      `The gateway at ${url.origin} answered ${response.status} to GET /_portico/usage: its admin routes are closed to this token, or it records no usage.`,
      `GET ${url.pathname}`,
      "set PORTICO_ADMIN_TOKEN, at least 32 characters, in .dev.vars (`wrangler secret put PORTICO_ADMIN_TOKEN` when deployed) and send the same; set `x-portico.telemetry.usage` in the document.",
    );
  }
  const body = await response.text();
  try {
    const report = JSON.parse(body) as UsageReport;
    if (response.ok && typeof report.since === "string" && typeof report.by === "string" && Array.isArray(report.rows)) return report;
  } catch {
    // Told below, with what came instead.
  }
  return problem(
    `The gateway at ${url.origin} answered ${response.status} instead of the usage: ${body.slice(0, 200)}`,
    `GET ${url.pathname}`,
    "check the gateway's log (`portico tail` when deployed).",
  );
}

function print(report: UsageReport, consumer: string | undefined, source: string): void {
  const whose = consumer === undefined ? "" : ` of consumer "${consumer}"`;
  const since = report.since.replace(/\.\d{3}Z$/, "Z");
  if (report.rows.length === 0) return console.log(`No requests${whose} since ${since} (${source}).`);
  console.log(`Usage by ${report.by}${whose} since ${since} (${source}):\n`);
  // LLM tokens get a column when some answers cost them (operations served by the llm handler).
  const tokens = report.rows.some((row) => Number(row.tokens) > 0);
  const header = [report.by.toUpperCase(), "REQUESTS", "2xx", "4xx", "5xx", "AVG MS", "BYTES IN", "BYTES OUT", ...(tokens ? ["TOKENS"] : [])];
  const rows = report.rows.map((row) => [
    escapeControls(String(row.group)),
    ...[row.requests, row.status2xx, row.status4xx, row.status5xx].map(String),
    Number(row.avgLatencyMs).toFixed(1),
    formatBytes(Number(row.bytesIn)),
    formatBytes(Number(row.bytesOut)),
    ...(tokens ? [String(Number(row.tokens) || 0)] : []),
  ]);
  console.log(table([header, ...rows]));
}

async function report(values: ReturnType<typeof readArgs>): Promise<Answer<{ report: UsageReport; source: string }>> {
  const by = (values.by ?? "operation") as Grouping;
  if (!GROUPINGS.includes(by)) return problem(`--by "${values.by}" is not a grouping.`, "--by", `give one of ${GROUPINGS.join(", ")}.`);
  if (values.remote && values.gateway !== undefined)
    return problem(
      "--remote and --gateway exclude each other.",
      "portico usage",
      "--remote reads Analytics Engine; --gateway asks a running gateway. Give one.",
    );
  if (!values.remote && values.dataset !== undefined) return problem("--dataset is for --remote.", "--dataset", "add --remote, or drop --dataset.");
  const now = Date.now();
  const since = parseSince(values.since ?? "24h", now);
  if ("problem" in since) return since;
  const root = resolve(values.root ?? process.cwd());
  if (!values.remote) {
    const base = values.gateway ?? DEFAULT_GATEWAY;
    const query = new URLSearchParams({ since: since.at.toISOString(), by, ...(values.consumer === undefined ? {} : { consumer: values.consumer }) });
    const answer = await gatewayUsage(root, base, query);
    return "problem" in answer ? answer : { report: answer, source: `the gateway at ${base}` };
  }
  const dataset = usageDataset(root, values.dataset);
  if (typeof dataset !== "string") return dataset;
  const rows = await remoteUsage(root, { dataset, since, by, consumer: values.consumer });
  if ("problem" in rows) return rows;
  return { report: { since: since.at.toISOString(), until: new Date(now).toISOString(), by, rows }, source: `Analytics Engine, dataset ${dataset}` };
}

/** `portico usage [options]`; returns the exit code. */
export async function usage(argv: string[]): Promise<number> {
  // Read apart from the parser: a command line it refuses still gets its error as JSON.
  const json = argv.includes("--json");
  let values: ReturnType<typeof readArgs>;
  try {
    values = readArgs(argv);
  } catch (error) {
    printProblem({ message: (error as Error).message, where: "portico usage", hint: "run `portico usage --help` for the options." }, json);
    return 1;
  }
  if (values.help) {
    console.log(USAGE_HELP);
    return 0;
  }
  const answer = await report(values);
  if ("problem" in answer) {
    printProblem(answer.problem, json);
    return 1;
  }
  if (json) console.log(JSON.stringify(answer.report, null, 2));
  else print(answer.report, values.consumer, answer.source);
  return 0;
}
