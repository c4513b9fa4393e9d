/**
 * @module
 * The `portico` command: build, check, help.
 */
import { parseArgs } from "node:util";
import type { BuildError } from "../compiler/errors.ts";
import { KEYS_HELP, keys } from "./keys.ts";
import { QUOTA_HELP, quota } from "./quota.ts";

const HELP: Record<string, string> = {
  "": `portico — an OpenAPI-first API gateway on Cloudflare Workers

Usage: portico <command> [options]

Commands:
  build    Compile openapi/ and policies/ into the Worker app in .portico/
  check    Validate the spec, x-portico and every policy's options; write nothing
  keys     Create, list, revoke and rotate the API keys of consumers
  quota    Show what a consumer has used of its quotas, asking the running gateway
  help     Show help for a command

Options:
  --root <dir>   The project folder (default: the current folder)
  --spec <file>  The OpenAPI document, relative to the root (default: openapi/openapi.yaml)
  --default-handler <name>
                 The handler of operations that name none; \`--default-handler mock\`
                 serves any OpenAPI document as a mock gateway
  --json         Print the result as JSON, for CI
  -h, --help     Show help

Run \`npm run dev\` to serve the gateway locally, \`npm run deploy\` to deploy it.`,
  build: `portico build — compile the gateway

Reads openapi/openapi.yaml (and the files it $refs) and the modules in
policies/, checks everything, and writes .portico/app.ts, which src/worker.ts
serves. Exits 1 and prints each problem (what, where, how to fix) when the
spec or a policy is wrong.

Options: --root <dir>, --spec <file>, --default-handler <name>, --json`,
  check: `portico check — validate without building

Runs every check of \`portico build\` and writes nothing. Exits 1 on any error.

Options: --root <dir>, --spec <file>, --default-handler <name>, --json`,
  keys: KEYS_HELP,
  quota: QUOTA_HELP,
};

function print(errors: BuildError[], warnings: BuildError[]) {
  const tty = process.stderr.isTTY && !process.env.NO_COLOR;
  const paint = (code: number, text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
  for (const problem of [...errors, ...warnings]) {
    const [first, ...rest] = problem.format().split("\n");
    console.error(paint(problem.severity === "error" ? 31 : 33, first) + "\n" + rest.join("\n") + "\n");
  }
}

export async function main(argv: string[]): Promise<number> {
  // keys and quota have options of their own, which the parser below would refuse.
  if (argv[0] === "keys") return keys(argv.slice(1));
  if (argv[0] === "quota") return quota(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        root: { type: "string", default: process.cwd() },
        spec: { type: "string" },
        "default-handler": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`✘ ERROR: ${(error as Error).message}\n  fix: run \`portico --help\` for the options.`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? "";
  if (values.help || command === "" || command === "help") {
    console.log(HELP[command === "help" ? (positionals[1] ?? "") : command] ?? HELP[""]);
    return 0;
  }
  if (command !== "build" && command !== "check") {
    console.error(`✘ ERROR: unknown command "${command}"\n  fix: run \`portico --help\` for the commands.`);
    return 2;
  }
  const started = performance.now();
  // Loaded here, not at the top: `portico keys` must work even when the compiler cannot load.
  const { compile } = await import("../compiler/compile.ts");
  const result = await compile({
    root: values.root,
    spec: values.spec,
    check: command === "check",
    defaultHandler: values["default-handler"],
    // Set by `npm run dev`: keep the dev server up on a broken spec.
    serveErrors: process.env.PORTICO_DEV === "1",
  });
  const ms = Math.round(performance.now() - started);
  if (values.json) {
    console.log(JSON.stringify({ ok: result.errors.length === 0, operations: result.operations, ms, errors: result.errors, warnings: result.warnings }, null, 2));
  } else {
    print(result.errors, result.warnings);
    if (result.errors.length > 0) {
      console.error(`portico ${command}: ${result.errors.length} error(s); nothing was ${command === "build" ? "built" : "changed"}.`);
    } else {
      console.log(`portico ${command}: ${result.operations} operation(s) ${command === "build" ? "compiled" : "checked"} in ${ms} ms.`);
    }
  }
  if (result.errors.length > 0 && result.appFile) {
    console.error("The dev server answers 503 with these errors until the project builds again.");
    return 0;
  }
  return result.errors.length > 0 ? 1 : 0;
}

