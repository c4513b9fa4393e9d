/**
 * @module
 * `portico quota show <consumer>`: a consumer's quotas. They live in Durable
 * Objects, which no wrangler command can read, so this asks the running
 * gateway (GET /_portico/quota/<consumer>), which answers only to the token in
 * its PORTICO_ADMIN_TOKEN.
 */
import { parseArgs } from "node:util";
import type { QuotaEntry } from "../policies/quota/admin.ts";
import { adminGet, DEFAULT_GATEWAY } from "./admin-client.ts";
import { printProblem, table } from "./style.ts";

export const QUOTA_HELP = `portico quota — what consumers have used of their quotas

Usage:
  portico quota show <consumer> [--url <gateway>] [--token <token>] [--json]

Asks the gateway, which answers only when its PORTICO_ADMIN_TOKEN is set
(\`wrangler secret put PORTICO_ADMIN_TOKEN\`; for \`npm run dev\`, a line
PORTICO_ADMIN_TOKEN=... in .dev.vars) and the token given here is the same.

Options:
  --url <url>      The gateway's base URL (default: http://127.0.0.1:8787, \`npm run dev\`)
  --token <token>  The admin token (default: $PORTICO_ADMIN_TOKEN)
  --json           Print the gateway's answer, or the error, as JSON`;

/** A failure the user can put right: what, where, and what to do; JSON on stdout with --json. */
function fail(json: boolean, what: string, where: string, fix: string): number {
  printProblem({ message: what, where, hint: fix }, json);
  return 1;
}

function readArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: "string" }, token: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
}

const shown = (value: number | string | null) => (value === null ? "?" : String(value));

function print(consumer: string, quotas: QuotaEntry[]) {
  if (quotas.length === 0) return console.log(`No route of the gateway has a quota, so consumer "${consumer}" has none.`);
  const header = ["POLICY", "PERIOD", "USED / LIMIT", "REMAINING", "RESETS AT"];
  const rows = quotas.map((q) =>
    q.error
      ? [q.policy, q.period, "-", "-", `unreadable: ${q.error}`]
      : [q.policy, q.period, `${shown(q.used)} / ${shown(q.limit)}`, shown(q.remaining), q.resetAt?.replace(/\.\d{3}Z$/, "Z") ?? "at its first request"],
  );
  console.log(`Quotas of consumer "${consumer}":\n`);
  console.log(table([header, ...rows]));
}

async function show(consumer: string, base: string, token: string, json: boolean): Promise<number> {
  const asked = await adminGet(base, `/_portico/quota/${encodeURIComponent(consumer)}`, token, "--url");
  if ("problem" in asked) return fail(json, asked.problem.message, asked.problem.where, asked.problem.hint);
  const { url, response } = asked;
  if (response.status === 404 || response.status === 401 || response.status === 403) {
    return fail(
      json,
      `The gateway at ${url.origin} does not answer quota requests with this token (${response.status}).`,
      `GET ${url.pathname}`,
      "set PORTICO_ADMIN_TOKEN on the gateway (.dev.vars for `npm run dev`, `wrangler secret put PORTICO_ADMIN_TOKEN` when deployed) and pass the same with --token; the gateway also needs a route that uses quota.",
    );
  }
  const text = await response.text();
  let body: { consumer: string; quotas: QuotaEntry[] };
  try {
    if (!response.ok) throw new Error(`status ${response.status}`);
    body = JSON.parse(text);
  } catch {
    return fail(
      json,
      `The gateway at ${url.origin} answered ${response.status} instead of the quotas: ${text.slice(0, 200)}`,
      `GET ${url.pathname}`,
      "check the gateway's log (`wrangler tail` when deployed).",
    );
  }
  if (json) console.log(JSON.stringify(body, null, 2));
  else print(body.consumer, body.quotas);
  return 0;
}

/** `portico quota <command> ...`; returns the exit code. */
export async function quota(argv: string[]): Promise<number> {
  // Read apart from the parser: a command line it refuses still gets its error as JSON.
  const json = argv.includes("--json");
  let parsed;
  try {
    parsed = readArgs(argv);
  } catch (error) {
    return fail(json, (error as Error).message, "portico quota", "run `portico quota --help` for the options.");
  }
  const { values, positionals } = parsed;
  const [command = "", consumer, ...extra] = positionals;
  if (values.help || command === "") {
    console.log(QUOTA_HELP);
    return 0;
  }
  if (command !== "show") return fail(json, `Unknown command "quota ${command}".`, "portico quota", "use `portico quota show <consumer>`.");
  if (consumer === undefined) return fail(json, "quota show needs the consumer id.", "portico quota show", "add it, e.g. `portico quota show acme`.");
  if (extra.length > 0) return fail(json, `Unexpected argument "${extra[0]}".`, "portico quota show", "options start with --; run `portico quota --help`.");
  const token = values.token ?? process.env.PORTICO_ADMIN_TOKEN;
  if (!token) {
    return fail(
      json,
      "No admin token.",
      "--token, $PORTICO_ADMIN_TOKEN",
      "pass --token <token> or set PORTICO_ADMIN_TOKEN to the gateway's PORTICO_ADMIN_TOKEN (in .dev.vars for `npm run dev`).",
    );
  }
  return show(consumer, values.url ?? DEFAULT_GATEWAY, token, json);
}
