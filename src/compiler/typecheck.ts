/**
 * @module
 * Type-checks the modules in policies/ as `npm test`'s tsc would, so that an
 * option misspelt against its schema (`options.greting`) fails the build
 * instead of serving `undefined`. Runs the project's own TypeScript (7, native:
 * its JavaScript API is marked unstable, its command line is not) on a
 * tsconfig written for the purpose, and reads its plain-text diagnostics.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { BuildError } from "./errors.ts";
import { PORTICO_ENTRY } from "./plan/modules.ts";

const require = createRequire(import.meta.url);

/** `policies/x.ts(11,46): error TS2551: Property …`, the lines after it indented (a chained message). */
const DIAGNOSTIC = /^(?:(.+)\((\d+),(\d+)\): )?error (TS\d+): (.*)$/;

const HINT = "Fix the types there: a policy's `options` get theirs from its options schema (docs/policies.md). `npx portico check` checks again.";

/** Whether the folder holds a module to check: without one, the check costs nothing. */
function hasModules(folder: string): boolean {
  if (!existsSync(folder)) return false;
  return readdirSync(folder, { recursive: true, encoding: "utf8" }).some((name) => /\.m?ts$/.test(name) && !/\.test\.m?ts$/.test(name));
}

/**
 * The compiler options of the project's tsconfig.json but for two rules of style (verbatimModuleSyntax,
 * erasableSyntaxOnly) that a user's code need not follow, and "portico" resolved as the build's bundler resolves it.
 */
function tsconfig(folder: string, workersTypes: string) {
  return {
    compilerOptions: {
      target: "es2024",
      module: "preserve",
      moduleResolution: "bundler",
      lib: ["es2024"],
      types: [],
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      paths: { portico: [PORTICO_ENTRY] },
    },
    // Policies run in workerd: the Workers types, not Node's.
    files: [workersTypes],
    include: [join(folder, "**/*.ts"), join(folder, "**/*.mts")],
    exclude: [join(folder, "**/*.test.ts"), join(folder, "**/*.test.mts")],
  };
}

function run(command: string, args: string[], cwd: string): Promise<{ output: string; failure?: string }> {
  return new Promise((done) => {
    execFile(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // tsc exits 1 or 2 when it found errors; anything else, or no diagnostics at all, is tsc failing.
      const found = DIAGNOSTIC.test(stdout.split("\n")[0] ?? "");
      done({ output: stdout, failure: error && !found ? (stderr || stdout || error.message).trim() : undefined });
    });
  });
}

/** A file as the build names it: from the project root when inside it. */
const shown = (file: string, root: string) => (relative(root, file).startsWith("..") ? file : relative(root, file));

function parse(output: string, root: string): BuildError[] {
  const errors: BuildError[] = [];
  let last: { at: BuildError["location"]; lines: string[]; code: string } | undefined;
  // The code goes after the first line: a chained message's other lines go on below it.
  const flush = () => last && errors.push(new BuildError(last.at, [`${last.lines[0]} (${last.code})`, ...last.lines.slice(1)].join("\n"), HINT));
  for (const line of output.split(/\r?\n/)) {
    const match = DIAGNOSTIC.exec(line);
    if (match) {
      flush();
      const [, file = "policies", row, column, code, message] = match;
      const at = { file: shown(resolve(root, file), root), pointer: "", line: row ? Number(row) : undefined, column: column ? Number(column) : undefined };
      last = { at, lines: [message], code };
    } else if (last && line.trim() !== "") last.lines.push(line);
  }
  flush();
  return errors;
}

/** The type errors of the modules in `<root>/policies`, each a located BuildError. */
export async function typecheckPolicies(root: string): Promise<BuildError[]> {
  const folder = join(root, "policies");
  if (!hasModules(folder)) return [];
  let tsc: string;
  let workersTypes: string;
  try {
    tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
    workersTypes = require.resolve("@cloudflare/workers-types/index.d.ts");
  } catch {
    return [notChecked(folder, root, "TypeScript or @cloudflare/workers-types is not installed")];
  }
  const scratch = mkdtempSync(join(tmpdir(), "portico-types-"));
  try {
    const config = join(scratch, "tsconfig.json");
    writeFileSync(config, JSON.stringify(tsconfig(folder, workersTypes)));
    const { output, failure } = await run(process.execPath, [tsc, "-p", config, "--pretty", "false"], root);
    return failure ? [notChecked(folder, root, `tsc failed: ${failure.split("\n")[0]}`)] : parse(output, root);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function notChecked(folder: string, root: string, why: string): BuildError {
  return new BuildError(
    { file: shown(folder, root), pointer: "" },
    `The modules in policies/ were not type-checked: ${why}.`,
    "Run `npm install` in the project, or skip the check with --no-typecheck.",
    "warning",
  );
}
