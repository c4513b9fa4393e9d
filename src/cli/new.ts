/**
 * @module
 * `portico new policy NAME`: writes policies/NAME.ts and policies/NAME.test.ts,
 * a policy that works and the test that proves it, to edit into your own.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { policySource, policyTestSource } from "./new-policy-template.ts";
import { paintOut, printProblem } from "./style.ts";

export const NEW_HELP = `portico new — start a module of your own

Usage: portico new policy <name> [--root <dir>]

Writes policies/<name>.ts, a working policy (it sends the caller's tier upstream
in a header), and policies/<name>.test.ts beside it, which runs the policy inside
workerd with portico/testing and passes as written. Edit both into your own;
docs/testing-policies.md shows what else a test can do.

  <name>         lower-case letters, digits and dashes, e.g. tier-header
  --root <dir>   The project folder (default: the current folder)`;

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

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
  if (kind !== "policy") return refuse(kind ? `portico new makes policies; "${kind}" is not one.` : "Say what to make: portico new policy <name>.");
  if (!name || !NAME.test(name) || positionals.length > 2) {
    return refuse(`"${positionals.slice(1).join(" ")}" is not a policy name: use lower-case letters, digits and dashes (tier-header).`);
  }
  const root = resolve(values.root);
  const folder = join(root, "policies");
  const files = [
    { path: join(folder, `${name}.ts`), text: policySource(name) },
    { path: join(folder, `${name}.test.ts`), text: policyTestSource(name) },
  ];
  const taken = files.find((file) => existsSync(file.path));
  if (taken) return refuse(`${relative(root, taken.path)} already exists; nothing was written. Pick another name or remove it first.`);
  mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(file.path, file.text);
  console.log(paintOut("green", `portico new: wrote policies/${name}.ts and policies/${name}.test.ts.`));
  console.log(`List it on an operation in openapi/openapi.yaml:
  inbound: [{ use: ./policies/${name}.ts, options: { header: x-consumer-tier } }]
Run its test:  npx vitest run policies/${name}.test.ts`);
  return 0;
}

function refuse(message: string): number {
  printProblem({ message, where: "portico new", hint: "run `portico new --help` for the usage." }, false);
  return 2;
}
