/**
 * @module
 * `portico init`: makes the project the user's. Their OpenAPI document (or a
 * new one) replaces the example in openapi/, the example's policies and
 * getting-started page go, the portal takes the API's title, and
 * test/api/api.test.ts is written for the API. Everything is prepared and
 * checked in a scratch folder first; the project changes only once the
 * document builds and the user has said yes.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { basePathOf } from "../../compiler/plan/paths.ts";
import { portalBasePath } from "../../portal-input.ts";
import { printFindings } from "../findings.ts";
import { HELP } from "../help.ts";
import { paintErr, paintOut, printProblem } from "../style.ts";
import { API_TEST, writeApiTest } from "./api-test.ts";
import { apply, stage } from "./apply.ts";
import type { DefaultHandler } from "./document.ts";
import { prepare } from "./prepare.ts";
import { InitProblem } from "./problem.ts";
import { relocate } from "./relocate.ts";
import { type Change, changeLines, nextSteps, unreadVars } from "./report.ts";
import { readSource, type Source } from "./source.ts";

function usage(message: string): number {
  printProblem({ message, where: "portico init", hint: "run `portico init --help` for its options." }, false);
  return 2;
}

async function confirmed(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

async function writeTestsOnly(root: string): Promise<number> {
  const written = await writeApiTest(root);
  if (!written.ok) {
    printFindings("init", written.result);
    console.error(paintErr("red", `portico init: ${written.result.errors.length} error(s); nothing was changed.`));
    return 1;
  }
  const skipped = written.uncovered.length > 0 ? `; ${written.uncovered.length} operation(s) not covered, listed in its header` : "";
  console.log(paintOut("green", `portico init: wrote ${API_TEST}: ${written.cases.length} case(s)${skipped}.`));
  return 0;
}

export async function init(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        from: { type: "string" },
        empty: { type: "boolean", default: false },
        upstream: { type: "string" },
        yes: { type: "boolean", short: "y", default: false },
        tests: { type: "boolean", default: false },
        root: { type: "string", default: process.cwd() },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    return usage((error as Error).message);
  }
  if (values.help) {
    console.log(HELP.init);
    return 0;
  }
  if (values.from !== undefined && values.empty) return usage("--from and --empty each name the document: give one of them.");
  if (values.upstream !== undefined && !/^https?:\/\/[^/]/i.test(values.upstream))
    return usage(`--upstream takes the real service's http(s) base URL, e.g. https://api.example.com, not ${values.upstream}.`);
  const root = resolve(values.root);
  if (values.tests)
    return values.from !== undefined || values.empty || values.upstream !== undefined
      ? usage("--tests writes the test of the document already in openapi/: give it alone.")
      : writeTestsOnly(root);
  const named = values.empty ? "--empty" : values.from !== undefined ? `--from ${values.from}` : undefined;
  if (!values.yes && !(process.stdin.isTTY && process.stdout.isTTY)) {
    printProblem(
      {
        message: "portico init replaces the example in openapi/, policies/ and portal/, and asks first; there is no terminal to ask on.",
        where: `portico init ${argv.join(" ")}`.trimEnd(),
        hint: named
          ? `run \`npx portico init ${named} --yes\` to go ahead without asking.`
          : "run `npx portico init --from <path|url> --yes` to go ahead without asking (or `npx portico init --yes` for the document already in openapi/).",
      },
      false,
    );
    return 1;
  }

  let source: Source;
  try {
    source = await readSource(root, values.from, values.empty);
  } catch (error) {
    if (!(error instanceof InitProblem)) throw error;
    printProblem(error, false);
    return 1;
  }
  const scratch = mkdtempSync(join(tmpdir(), "portico-init-"));
  try {
    const handler: DefaultHandler = values.upstream === undefined ? { handler: "mock" } : { handler: "forward", upstream: values.upstream };
    return await replaceExample(root, source, scratch, values.yes, handler);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function replaceExample(root: string, source: Source, scratch: string, yes: boolean, handler: DefaultHandler): Promise<number> {
  const started = performance.now();
  const entry = `openapi.${source.format}`;
  stage(scratch, new Map([...source.files].map(([file, text]) => [`openapi/${file}`, text])));
  const { compile } = await import("../../compiler/compile.ts");
  // The default handler stands for the x-portico written only once the document builds, so errors keep the user's lines.
  const result = await compile({ root, spec: join(scratch, "openapi", entry), check: true, defaultHandler: "mock" });
  const ms = Math.round(performance.now() - started);
  printFindings("init", { ...result, errors: relocate(result.errors, scratch, source.origins), warnings: relocate(result.warnings, scratch, source.origins) });
  if (result.errors.length > 0 || !result.plan) {
    console.error(paintErr("red", `portico init: ${result.errors.length} error(s) in ${source.label}; nothing was changed.`));
    return 1;
  }

  const { files, notes, removed, policiesKept, mockAdded, testAfterApply } = await prepare(root, source, result.plan, handler);
  stage(scratch, files);
  const changes: Change[] = [
    ...[...files.keys()].map((file): Change => ({ file, action: "write", note: notes.get(file) })),
    ...(testAfterApply ? [{ file: API_TEST, action: "write", note: "the operations that answer without the upstream" } satisfies Change] : []),
    ...removed.map((file): Change => ({ file, action: "remove" })),
  ];
  if (!yes) {
    console.log(`portico init will replace the example with ${source.label}:\n${changeLines(changes, false).join("\n")}\n`);
    if (!(await confirmed(`Replace the example in openapi/, policies/ and portal/ with ${source.label}? [y/N] `))) {
      console.log("portico init: nothing was changed.");
      return 1;
    }
  }
  apply(root, scratch, files.keys(), removed);
  if (testAfterApply) {
    const written = await writeApiTest(root);
    if (!written.ok) {
      printFindings("init", written.result);
      console.error(paintErr("red", `portico init: the document is in place, but ${API_TEST} could not be written: see above.`));
      return 1;
    }
  }

  console.log(paintOut("green", `portico init: ${source.label} replaced the example: ${result.operations} operation(s) checked in ${ms} ms.`));
  console.log(changeLines(changes, true).join("\n"));
  const read = [...files.entries()].filter(([file]) => file.startsWith("openapi/")).map(([, text]) => text);
  const policies = policiesKept.filter((file) => file.endsWith(".ts")).map((file) => readFileSync(join(root, "policies", file), "utf8"));
  const unread = unreadVars(root, [...read, ...policies]);
  if (unread.length > 0)
    console.log(
      paintOut(
        "dim",
        `\nwrangler.toml sets ${unread.join(", ")}, which nothing in openapi/ or policies/ reads now; remove ${unread.length === 1 ? "it" : "them"} (in each [env.*] too) when you like.`,
      ),
    );
  if (handler.handler === "forward" && !testAfterApply)
    console.log(paintOut("dim", `\nThe document names its own root handler or upstream in x-portico: --upstream ${handler.upstream} was not written.`));
  const portal = portalBasePath(root);
  const gateway = `http://localhost:8787${basePathOf(result.plan.document.servers) || "/"}`;
  console.log(
    nextSteps({
      gateway,
      portal: portal === undefined ? undefined : `http://localhost:8787${portal}`,
      spec: `openapi/${source.format === "json" ? "openapi.json" : "openapi.yaml"}`,
      forwardHint: mockAdded,
    }).join("\n"),
  );
  return 0;
}
