/**
 * @module
 * `portico cache purge (--route <operationId> | --tag <tag>)`: drops the
 * cached answers of a route, or of every cache policy with a tag, in every
 * data centre. The purge generations live in a Durable Object, so this asks
 * the running gateway (POST /_portico/cache/purge), which answers only to the
 * token in its PORTICO_ADMIN_TOKEN.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { PurgeAnswer } from "../policies/cache/admin.ts";
import { adminPost, adminToken, DEFAULT_GATEWAY, NO_ADMIN_TOKEN } from "./admin-client.ts";
import { printProblem, type Problem } from "./style.ts";

export const CACHE_HELP = `portico cache — purge the gateway's cached answers

Usage:
  portico cache purge --route <operationId> [--gateway <url>] [--json]
  portico cache purge --tag <tag> [--gateway <url>] [--json]

--route drops every cached answer of the operation; --tag those of every cache
policy whose tags option lists the tag. The next request for them goes to the
upstream: at once through the isolate that took the purge, within 5 s elsewhere.

Asks the running gateway (POST /_portico/cache/purge), which answers only when
its PORTICO_ADMIN_TOKEN (at least 32 characters) is set and is the token sent:
$PORTICO_ADMIN_TOKEN, else the line in .dev.vars.

Options:
  --route <id>      The operationId whose answers to drop
  --tag <tag>       The tag whose answers to drop
  --gateway <url>   The gateway's base URL (default: ${DEFAULT_GATEWAY}, \`npm run dev\`);
                    HTTPS, or HTTP to this machine only
  --root <dir>      The project folder, with .dev.vars (default: the current folder)
  --json            Print the gateway's answer, or the error, as JSON`;

const PATH = "/_portico/cache/purge";

function readArgs(argv: string[]) {
  const text = { type: "string" } as const;
  const flag = { type: "boolean" } as const;
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { route: text, tag: text, gateway: text, root: text, json: flag, help: { ...flag, short: "h" } },
  });
}

const problem = (message: string, where: string, hint: string): { problem: Problem } => ({ problem: { message, where, hint } });

async function purge(target: { route: string } | { tag: string }, base: string, root: string): Promise<PurgeAnswer | { problem: Problem }> {
  const token = adminToken(root);
  if (!token) return { problem: NO_ADMIN_TOKEN };
  const asked = await adminPost(base, PATH, token, "--gateway", target);
  if ("problem" in asked) return asked;
  const { url, response } = asked;
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Told below, with what came instead.
  }
  if (response.ok && typeof body.generation === "number") return body as unknown as PurgeAnswer;
  const known = Array.isArray(body.routes) ? body.routes : Array.isArray(body.tags) ? body.tags : undefined;
  // The cache's own refusals name what it knows; any other 404 is the one everyone without the token gets.
  if ((response.status === 400 || known) && typeof body.detail === "string") {
    const option = "route" in target ? "--route" : "--tag";
    const hint = known?.length ? `give one of: ${known.join(", ")}.` : "give the operationId of a GET operation with a cache policy, or a tag of one.";
    return problem(body.detail, option, hint);
  }
  if (response.status === 404 || response.status === 401 || response.status === 403) {
    return problem(
      `The gateway at ${url.origin} answered ${response.status} to POST ${PATH}: its admin routes are closed to this token, or no route of it has a cache policy.`,
      `POST ${url.pathname}`,
      "set PORTICO_ADMIN_TOKEN, at least 32 characters, in .dev.vars (`wrangler secret put PORTICO_ADMIN_TOKEN` when deployed) and send the same.",
    );
  }
  return problem(
    `The gateway at ${url.origin} answered ${response.status} instead of the purge: ${text.slice(0, 200)}`,
    `POST ${url.pathname}`,
    "check the gateway's log (`portico tail` when deployed).",
  );
}

/** `portico cache <command> ...`; returns the exit code. */
export async function cache(argv: string[]): Promise<number> {
  // Read apart from the parser: a command line it refuses still gets its error as JSON.
  const json = argv.includes("--json");
  const fail = (found: { problem: Problem }) => {
    printProblem(found.problem, json);
    return 1;
  };
  let parsed;
  try {
    parsed = readArgs(argv);
  } catch (error) {
    return fail(problem((error as Error).message, "portico cache", "run `portico cache --help` for the options."));
  }
  const { values, positionals } = parsed;
  const [command = "", ...extra] = positionals;
  if (values.help || command === "") {
    console.log(CACHE_HELP);
    return 0;
  }
  if (command !== "purge") return fail(problem(`Unknown command "cache ${command}".`, "portico cache", "use `portico cache purge --route <operationId>`."));
  if (extra.length > 0) return fail(problem(`Unexpected argument "${extra[0]}".`, "portico cache purge", "options start with --; run `portico cache --help`."));
  if ((values.route === undefined) === (values.tag === undefined)) {
    return fail(
      problem("cache purge needs one of --route and --tag.", "portico cache purge", "e.g. `portico cache purge --route getExhibit` or `--tag catalogue`."),
    );
  }
  const target = values.route !== undefined ? { route: values.route } : { tag: values.tag! };
  const base = values.gateway ?? DEFAULT_GATEWAY;
  const answer = await purge(target, base, resolve(values.root ?? process.cwd()));
  if ("problem" in answer) return fail(answer);
  if (json) console.log(JSON.stringify(answer, null, 2));
  else {
    const what = "route" in target ? `of route ${target.route}` : `tagged ${target.tag}`;
    console.log(`Purged the cached answers ${what} (the gateway at ${base}): the next request for them goes to the upstream.`);
  }
  return 0;
}
