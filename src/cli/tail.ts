/**
 * @module
 * `portico tail`: the deployed gateway's requests as they happen, one
 * readable line each, through `wrangler tail --format json` (which needs a
 * Cloudflare login). What it prints is tail-format.ts's; this runs wrangler.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { wranglerScript } from "./dev.ts";
import { readTailArgs } from "./tail-args.ts";
import { tailPrinter } from "./tail-format.ts";
import { printProblem, usesColour } from "./style.ts";

export const TAIL_HELP = `portico tail — the deployed gateway's requests, live

Usage: portico tail [worker] [--consumer <id>] [--status <code|class>] [--json]
                    [wrangler tail options]

Runs \`wrangler tail --format json\` (log in first: \`npx wrangler login\`) and
prints each request's access line as one readable line, with the request's
exceptions and error lines indented under it. The worker defaults to the name
in wrangler.toml; \`--env production\` tails portico-gateway-production.

Options:
  --consumer <id>   Only the requests of this consumer
  --status <s>      Only these statuses: 429, 5xx, or a list such as 4xx,5xx
                    (ok, error and canceled go to wrangler tail: the Worker's outcome)
  --json            The access lines as JSON, one a line, and nothing else

Every other option goes to wrangler tail, e.g. --env, --method, --search,
--sampling-rate; \`npx wrangler tail --help\` lists them.`;

/** `portico tail [worker] [options]`; resolves to wrangler's exit code. */
export async function tail(argv: string[]): Promise<number> {
  const args = readTailArgs(argv);
  if ("problem" in args) {
    printProblem({ ...args.problem, hint: `${args.problem.hint} \`portico tail --help\` lists the options.` }, argv.includes("--json"));
    return 1;
  }
  if (args.help) {
    console.log(TAIL_HELP);
    return 0;
  }
  const root = process.cwd();
  const script = wranglerScript(root);
  if (!script) {
    printProblem({ message: "wrangler is not installed.", where: root, hint: "run `npm install` in the project folder." }, args.json);
    return 1;
  }
  const printer = tailPrinter({ consumer: args.consumer, status: args.status, json: args.json, colour: usesColour(process.stdout) });
  // The Node running portico, not the first `node` on PATH: wrangler needs Node 22 or later.
  const child = spawn(process.execPath, [script, ...args.wrangler], { cwd: root, stdio: ["inherit", "pipe", "inherit"] });
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => process.stdout.write(printer.push(chunk)));
  child.stdout.on("end", () => process.stdout.write(printer.end()));
  // Ctrl-C reaches wrangler too, which deletes the tail on Cloudflare before it exits: portico waits for it.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on("error", (error) => {
      printProblem({ message: `wrangler tail could not start: ${error.message}`, where: script, hint: "run `npm install` in the project folder." }, args.json);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
