/**
 * @module
 * The `portico` command: build, check, dev, keys, quota, reference, help.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CompileProgress } from "../compiler/compile.ts";
import type { ExampleSummary } from "../compiler/plan/example-check.ts";
import { type BuildError, EXAMPLE_GROUP } from "../compiler/errors.ts";
import type { PortalInput } from "../portal-input.ts";
import { DEV_HELP, dev } from "./dev.ts";
import { KEYS_HELP, keys } from "./keys.ts";
import { QUOTA_HELP, quota } from "./quota.ts";
import { formatProblem, paintErr, paintOut, printProblem, type Problem, progressLine } from "./style.ts";

const HELP: Record<string, string> = {
  "": `portico — an OpenAPI-first API gateway on Cloudflare Workers

Usage: portico <command> [options]

Commands:
  build    Compile openapi/ and policies/ into the Worker app in .portico/
  check    Validate the spec, x-portico and every policy's options; write nothing
  dev      Serve the gateway locally with wrangler dev, rebuilding on every change
  keys     Create, list, revoke and rotate the API keys of consumers
  quota    Show what a consumer has used of its quotas, asking the running gateway
  reference  Print the x-portico reference (Markdown), from the schemas the build checks
  help     Show help for a command

Options:
  --root <dir>   The project folder (default: the current folder)
  --spec <file>  The OpenAPI document, relative to the root (default: openapi/openapi.yaml)
  --default-handler <name>
                 The handler of operations that name none; \`--default-handler mock\`
                 serves any OpenAPI document as a mock gateway
  --json         Print the result, or the error, as JSON on stdout, for CI
  --verbose      Print every warning, each example that breaks its schema included
  --strict       Examples that break their schema are errors, not warnings
  -h, --help     Show help

Colours go to a terminal only; NO_COLOR=1 turns them off, FORCE_COLOR=1 on.
Exit codes: 0 done; 1 a problem was printed (what, where, how to fix);
2 build or check was given a wrong command line.

Run \`npm run dev\` to serve the gateway locally, \`npm run deploy\` to deploy it.`,
  build: `portico build — compile the gateway

Reads openapi/openapi.yaml (and the files it $refs) and the modules in
policies/, checks everything, and writes .portico/app.ts, which src/worker.ts
serves. Exits 1 and prints each problem (what, where, how to fix) when the
spec or a policy is wrong.

Every example of the document is checked against its schema; those that break
it are counted in one line (--verbose prints each, --json lists each, located),
and --strict makes them errors.

Options: --root <dir>, --spec <file>, --default-handler <name>, --json,
--verbose, --strict`,
  check: `portico check — validate without building

Runs every check of \`portico build\` and writes nothing. Exits 1 on any error.
--strict: examples that break their schema are errors too.

Options: --root <dir>, --spec <file>, --default-handler <name>, --json,
--verbose, --strict`,
  dev: DEV_HELP,
  reference: `portico reference — print the x-portico reference

Usage: portico reference > docs/x-portico-reference.md

Prints, as Markdown on stdout, every key of x-portico and every option of every
built-in policy and handler, written from the schemas the build checks against.`,
  keys: KEYS_HELP,
  quota: QUOTA_HELP,
};

const asProblem = (error: BuildError): Problem => ({ severity: error.severity, message: error.message, where: error.where, hint: error.hint });

function describeStep(progress: CompileProgress): string {
  if (progress.step === "load") return "reading the spec…";
  if (progress.step === "write") return "writing the app into .portico/…";
  return `compiling ${progress.total} ${progress.total === 1 ? "operation" : "operations"}… ${progress.done} done`;
}

/** The one line that stands for every example that breaks its schema, unless --verbose prints each. */
function examplesLine(summary: ExampleSummary): string {
  const { broken, replaced } = summary;
  const served = replaced > 0 ? `; the mock answers with a value generated from the schema in place of ${replaced} of them` : "";
  return `${broken} example(s) of ${summary.checked} break their schema${served}. See each, located, with --verbose or --json; --strict makes them errors.`;
}

async function buildOrCheck(
  command: "build" | "check",
  values: { root: string; spec?: string; "default-handler"?: string; json: boolean; verbose: boolean; strict: boolean },
): Promise<number> {
  const started = performance.now();
  // Loaded here, not at the top: `portico keys` must work even when the compiler cannot load.
  const { compile } = await import("../compiler/compile.ts");
  const progress = progressLine(process.stderr);
  const result = await compile({
    root: values.root,
    spec: values.spec,
    check: command === "check",
    defaultHandler: values["default-handler"],
    strict: values.strict,
    // Set by `portico dev`: keep the dev server up on a broken spec.
    serveErrors: process.env.PORTICO_DEV === "1",
    onProgress: (step) => progress.update(`portico ${command}: ${describeStep(step)}`),
  }).finally(() => progress.end());
  const portalWritten = command === "build" && result.portal ? await writePortal(values.root, result.portal) : false;
  const ms = Math.round(performance.now() - started);
  const { errors, warnings, operations, examples } = result;
  if (values.json) {
    const located = (list: BuildError[]) => list.map((error) => ({ ...error.toJSON(), where: error.where }));
    console.log(JSON.stringify({ ok: errors.length === 0, operations, ms, examples, errors: located(errors), warnings: located(warnings) }, null, 2));
  } else {
    // Documents with hundreds of broken examples would bury every other warning: one line stands for them.
    const shown = values.verbose ? warnings : warnings.filter((warning) => warning.group !== EXAMPLE_GROUP);
    for (const problem of [...errors, ...shown]) console.error(`${formatProblem(asProblem(problem))}\n`);
    if (examples && examples.broken > 0 && !values.strict) console.error(`${paintErr("yellow", `portico ${command}:`)} ${examplesLine(examples)}\n`);
    if (errors.length > 0) {
      console.error(paintErr("red", `portico ${command}: ${errors.length} error(s); nothing was ${command === "build" ? "built" : "changed"}.`));
    } else {
      const wrote =
        command === "build"
          ? `; wrote ${[".portico/", ...(portalWritten ? ["dist/portal/"] : [])].map((dir) => folderAsTyped(values.root, dir)).join(" and ")}`
          : "";
      console.log(paintOut("green", `portico ${command}: ${operations} operation(s) ${command === "build" ? "compiled" : "checked"} in ${ms} ms${wrote}.`));
    }
  }
  if (errors.length > 0 && result.appFile) {
    if (!values.json) console.error("The dev server answers 503 with these errors until the project builds again.");
    return 0;
  }
  return errors.length > 0 ? 1 : 0;
}

/** The developer portal, for projects that have one (a portal/ folder): static files the Worker serves at /docs. Whether it wrote one. */
async function writePortal(root: string, portal: PortalInput): Promise<boolean> {
  root = resolve(root);
  if (!existsSync(join(root, "portal"))) return false;
  const { generatePortal } = await import("../portal/generate.ts");
  await generatePortal({ ...portal, root, outDir: join(root, "dist", "portal") });
  return true;
}

/** A folder of the project as the user would type it: relative to the current folder when inside it. */
function folderAsTyped(root: string, dir: string): string {
  const rel = relative(process.cwd(), resolve(root, dir));
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? `${resolve(root, dir)}/` : `${rel}/`;
}

function usage(message: string, json: boolean): number {
  printProblem({ message, where: "portico", hint: "run `portico --help` for the commands and their options." }, json);
  return 2;
}

async function run(argv: string[], json: boolean): Promise<number> {
  // These parse options of their own, which the parser below would refuse.
  if (argv[0] === "keys") return keys(argv.slice(1));
  if (argv[0] === "quota") return quota(argv.slice(1));
  if (argv[0] === "reference") {
    if (argv.includes("--help") || argv.includes("-h")) {
      console.log(HELP.reference);
      return 0;
    }
    const { referenceMarkdown } = await import("../compiler/reference.ts");
    process.stdout.write(referenceMarkdown());
    return 0;
  }
  if (argv[0] === "dev") {
    if (!argv.includes("--help") && !argv.includes("-h")) return dev(argv.slice(1));
    console.log(DEV_HELP);
    return 0;
  }
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
        verbose: { type: "boolean", default: false },
        strict: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return usage((error as Error).message, json);
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? "";
  if (values.help || command === "" || command === "help") {
    console.log(HELP[command === "help" ? (positionals[1] ?? "") : command] ?? HELP[""]);
    return 0;
  }
  if (command !== "build" && command !== "check") return usage(`Unknown command "${command}".`, json);
  return buildOrCheck(command, values);
}

/** `portico <command> ...`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  try {
    return await run(argv, json);
  } catch (error) {
    // A fault in Portico itself, not in the project: still one problem, and JSON under --json.
    const message = error instanceof Error ? error.message : String(error);
    const hint = `this is a fault in Portico, not in the project: report it with the stack trace${json ? ", which the same command without --json prints" : " below"}.`;
    printProblem({ message: `portico failed unexpectedly: ${message}`, where: `portico ${argv.join(" ")}`, hint }, json);
    if (!json && error instanceof Error && error.stack) console.error(paintErr("dim", error.stack));
    return 1;
  }
}
