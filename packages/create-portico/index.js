#!/usr/bin/env node
/**
 * @module
 * `npm create portico@latest my-api`: a new Portico project in a new folder.
 * Plain JavaScript, not TypeScript: npm runs it from its cache under
 * node_modules, where Node strips no types, on whatever Node the user has.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { GITIGNORE, MUSEUM_PARTS, TSCONFIG, VITEST_CONFIG, packageJson, workerName, wranglerToml } from "./lib/files.js";
import { museumFolder, museumVars } from "./lib/museum.js";

const HELP = `Usage: create-portico <dir> [options]

Writes a Portico project into <dir> (new or empty), installs it, and prints how to run it.

  --template museum|empty   the museum example (default) or a one-operation API
  --from <path|url>         start from an existing OpenAPI document instead
  --default-handler mock|forward
                            what answers operations that name no handler (--from and empty):
                            mock (default) answers from the document's examples and schemas,
                            forward sends them to --upstream at the same path
  --upstream <url>          the real service's base URL (implies --default-handler forward)
  --yes                     ask nothing: take the defaults for what is not given
  --no-install              write the files only (then: npm install)
  --package <spec>          the portico dependency to write (default: ^${version()})`;

/** The portico a new project depends on: the release this one belongs to (both are published together). */
function version() {
  return JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).version;
}

function fail(message) {
  console.error(`create-portico: ${message}\nRun \`npm create portico -- --help\` for the options.`);
  return 2;
}

function run(command, args, cwd) {
  // npm is npm.cmd on Windows, which only a shell runs.
  return spawnSync(command, args, { cwd, stdio: "inherit", shell: process.platform === "win32" }).status ?? 1;
}

async function ask(question, fallback) {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await prompt.question(question)).trim() || fallback;
  } finally {
    prompt.close();
  }
}

async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        template: { type: "string" },
        from: { type: "string" },
        "default-handler": { type: "string" },
        upstream: { type: "string" },
        yes: { type: "boolean", short: "y", default: false },
        "no-install": { type: "boolean", default: false },
        package: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return fail(error.message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const interactive = !values.yes && process.stdin.isTTY && process.stdout.isTTY;
  let dir = positionals[0];
  if (positionals.length > 1) return fail(`one folder, please: got ${positionals.join(", ")}.`);
  if (!dir && interactive) dir = await ask("Project folder: (my-api) ", "my-api");
  if (!dir) return fail("name the folder to create, e.g. `npm create portico@latest my-api`.");
  if (values.template !== undefined && values.from !== undefined) return fail("--template and --from each name the starting point: give one of them.");
  if (values.template !== undefined && !["museum", "empty"].includes(values.template)) return fail(`--template is museum or empty, not ${values.template}.`);
  let from = values.from;
  let template = values.template ?? (from !== undefined ? undefined : "museum");
  if (values.template === undefined && from === undefined && interactive) {
    const choice = await ask("Start from 1) the museum example, 2) an empty API, 3) your OpenAPI document (path or URL): (1) ", "1");
    if (choice === "2") template = "empty";
    else if (choice !== "1") [template, from] = [undefined, choice === "3" ? await ask("Its path or URL: ", "") : choice];
    if (from === "") return fail("no document given.");
  }
  const handler = values["default-handler"] ?? (values.upstream !== undefined ? "forward" : "mock");
  if (!["mock", "forward"].includes(handler)) return fail(`--default-handler is mock or forward, not ${handler}.`);
  if (handler === "forward" && values.upstream === undefined) return fail("--default-handler forward sends requests to --upstream <url>: give it.");
  if (values.upstream !== undefined && !/^https?:\/\/[^/]/i.test(values.upstream)) return fail(`--upstream takes an http(s) URL, not ${values.upstream}.`);
  if (handler === "forward" && template === "museum")
    return fail("the museum example names its own handlers: --default-handler and --upstream go with --from or --template empty.");
  if (template !== "museum" && values["no-install"])
    return fail("an empty API or --from is written by the project's own portico (portico init), which --no-install leaves uninstalled.");

  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).some((entry) => entry !== ".git"))
    return fail(`${dir} is not empty: give a new folder or an empty one (nothing is written over).`);
  mkdirSync(target, { recursive: true });
  const name = workerName(basename(target));
  writeFileSync(join(target, "package.json"), packageJson(name, values.package ?? `^${version()}`));
  writeFileSync(join(target, "wrangler.toml"), wranglerToml(name, template === "museum" ? museumVars() : {}));
  writeFileSync(join(target, "vitest.config.ts"), VITEST_CONFIG);
  writeFileSync(join(target, "tsconfig.json"), TSCONFIG);
  writeFileSync(join(target, ".gitignore"), GITIGNORE);
  // init replaces the example with the user's document: every project starts as the museum.
  for (const part of MUSEUM_PARTS) cpSync(join(museumFolder(), part), join(target, part), { recursive: true });
  console.log(`create-portico: wrote ${dir}/ (${template === "museum" ? "the museum example" : template === "empty" ? "an empty API" : from}).`);

  if (values["no-install"]) return done(dir, true);
  if (run("npm", ["install", "--no-audit", "--no-fund"], target) !== 0) return fail(`npm install failed in ${dir}: the files are written; run it there again.`);
  if (template !== "museum") {
    const source = from === undefined ? ["--empty"] : ["--from", /^https?:\/\//i.test(from) ? from : resolve(from)];
    const upstream = handler === "forward" ? ["--upstream", values.upstream] : [];
    if (run("npm", ["exec", "--", "portico", "init", ...source, ...upstream, "--yes"], target) !== 0)
      return fail(`portico init could not take ${from ?? "the empty API"}: see above.`);
  }
  return done(dir, false);
}

function done(dir, install) {
  console.log(
    `\nNext:\n  cd ${dir}${install ? "\n  npm install" : ""}\n  npm run dev\n\nThe gateway answers on http://localhost:8787, its portal on http://localhost:8787/docs.`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
