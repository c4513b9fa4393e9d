/**
 * @module
 * `portico new policy NAME` and `portico new handler NAME`: write policies/NAME.ts
 * and policies/NAME.test.ts, a module that works and the test that proves it, to
 * edit into your own.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { handlerSource, handlerTestSource } from "./new-handler-template.ts";
import { policySource, policyTestSource } from "./new-policy-template.ts";
import { paintOut, printProblem } from "./style.ts";

export const NEW_HELP = `portico new — start a module of your own

Usage: portico new policy <name> [--root <dir>]
       portico new handler <name> [--root <dir>]

Writes policies/<name>.ts, a working policy (it sends the caller's tier upstream
in a header) or handler (it answers with a greeting for the path's {name}), and
policies/<name>.test.ts beside it, which runs the module inside workerd with
portico/testing and passes as written. Edit both into your own;
docs/testing-policies.md shows what else a test can do.

  <name>         lower-case letters, digits and dashes, e.g. tier-header
  --root <dir>   The project folder (default: the current folder)`;

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** What each kind writes, and how it is listed on an operation. */
const KINDS = {
  policy: {
    source: policySource,
    test: policyTestSource,
    listed: (name: string) => `inbound: [{ use: ./policies/${name}.ts, options: { header: x-consumer-tier } }]`,
  },
  handler: {
    source: handlerSource,
    test: handlerTestSource,
    listed: (name: string) => `x-portico: { handler: { use: ./policies/${name}.ts, options: { greeting: Hello } } }   (on GET /hello/{name})`,
  },
};

export async function newModule(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { root: { type: "string", default: process.cwd() }, help: { type: "boolean", short: "h", default: false } },
    });
  } catch (error) {
    return refuse((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(NEW_HELP);
    return 0;
  }
  const [kind, name] = positionals;
  if (kind !== "policy" && kind !== "handler")
    return refuse(
      kind ? `portico new makes a policy or a handler; "${kind}" is neither.` : "Say what to make: portico new policy <name>, or portico new handler <name>.",
    );
  if (!name || !NAME.test(name) || positionals.length > 2) {
    return refuse(
      `"${positionals.slice(1).join(" ")}" is not a ${kind} name: use lower-case letters, digits and dashes (${kind === "policy" ? "tier-header" : "say-hello"}).`,
    );
  }
  const template = KINDS[kind];
  const root = resolve(values.root);
  const folder = join(root, "policies");
  const files = [
    { path: join(folder, `${name}.ts`), text: template.source(name) },
    { path: join(folder, `${name}.test.ts`), text: template.test(name) },
  ];
  const taken = files.find((file) => existsSync(file.path));
  if (taken) return refuse(`${relative(root, taken.path)} already exists; nothing was written. Pick another name or remove it first.`);
  mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(file.path, file.text);
  console.log(paintOut("green", `portico new: wrote policies/${name}.ts and policies/${name}.test.ts.`));
  console.log(`List it on an operation in openapi/openapi.yaml:
  ${template.listed(name)}
Run its test:  npx vitest run policies/${name}.test.ts`);
  return 0;
}

function refuse(message: string): number {
  printProblem({ message, where: "portico new", hint: "run `portico new --help` for the usage." }, false);
  return 2;
}
