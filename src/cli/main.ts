/**
 * @module
 * The `portico` command: init, new, build, check, dev, keys, quota, cache, usage, tail, reference, help.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CompileProgress } from "../compiler/compile.ts";
import type { BuildError } from "../compiler/errors.ts";
import type { PortalInput } from "../portal-input.ts";
import { cache } from "./cache.ts";
import { dev } from "./dev.ts";
import { printFindings } from "./findings.ts";
import { writePublicDocument } from "./public-document.ts";
import { HELP } from "./help.ts";
import { importCommand } from "./import-zuplo/command.ts";
import { init } from "./init/init.ts";
import { newModule } from "./new.ts";
import { keys } from "./keys.ts";
import { quota } from "./quota.ts";
import { tail } from "./tail.ts";
import { usage as usageCommand } from "./usage.ts";
import { paintErr, paintOut, printProblem, progressLine } from "./style.ts";

function describeStep(progress: CompileProgress): string {
  if (progress.step === "load") return "reading the spec…";
  if (progress.step === "write") return "writing the app into .portico/…";
  return `compiling ${progress.total} ${progress.total === 1 ? "operation" : "operations"}… ${progress.done} done`;
}

async function buildOrCheck(
  command: "build" | "check",
  values: { root: string; spec?: string; "default-handler"?: string; json: boolean; verbose: boolean; strict: boolean; typecheck: boolean },
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
    typecheck: values.typecheck,
    // Set by `portico dev`: keep the dev server up on a broken spec.
    serveErrors: process.env.PORTICO_DEV === "1",
    onProgress: (step) => progress.update(`portico ${command}: ${describeStep(step)}`),
  }).finally(() => progress.end());
  const portalWritten = command === "build" && result.portal ? await writePortal(values.root, result.portal) : false;
  if (command === "build" && result.portal) writePublicDocument(resolve(values.root), result.portal.document);
  const ms = Math.round(performance.now() - started);
  const { errors, warnings, operations, examples } = result;
  if (values.json) {
    const located = (list: BuildError[]) => list.map((error) => ({ ...error.toJSON(), where: error.where }));
    console.log(JSON.stringify({ ok: errors.length === 0, operations, ms, examples, errors: located(errors), warnings: located(warnings) }, null, 2));
  } else {
    printFindings(command, result, values);
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
    await markPortalStale(values.root, errors);
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

/** In the dev server, the last good portal's pages say the build now fails, and why; the next good build writes them afresh. */
async function markPortalStale(root: string, errors: BuildError[]): Promise<void> {
  const notice = await import("../portal/stale-notice.ts");
  notice.markPortalStale(join(resolve(root), "dist", "portal"), errors);
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
  if (argv[0] === "cache") return cache(argv.slice(1));
  if (argv[0] === "usage") return usageCommand(argv.slice(1));
  if (argv[0] === "tail") return tail(argv.slice(1));
  if (argv[0] === "init") return init(argv.slice(1));
  if (argv[0] === "import") return importCommand(argv.slice(1));
  if (argv[0] === "new") return newModule(argv.slice(1));
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
    console.log(HELP.dev);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      allowNegative: true,
      options: {
        root: { type: "string", default: process.cwd() },
        spec: { type: "string" },
        "default-handler": { type: "string" },
        json: { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        strict: { type: "boolean", default: false },
        typecheck: { type: "boolean", default: true },
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
