/**
 * @module
 * Moves a project in the fork layout (Portico's own src/ and bin/ beside the
 * team's openapi/) onto the portico package: package.json depends on portico
 * and its scripts call the `portico` command, wrangler.toml serves the entry
 * the build writes, and the forked src/ and bin/ go.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { FORKED_FOLDERS, PACKAGE_MAIN, PACKAGE_SCRIPTS, PROJECT_TOOLS } from "./package-layout.ts";
import type { Requirements } from "./requirements.ts";

export interface FileChange {
  /** Relative to the project root. */
  file: string;
  /** New contents, or null to remove (a folder: with everything in it). */
  text: string | null;
  /** One line each, what changes and why. */
  notes: string[];
}

const FORK_PATHS = /(^|[\s"'=])(\.\/)?(src|bin|bench)\//;

/** Every package a file of the user's own folders imports, so that none of those is dropped. */
function importedPackages(root: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js|mjs|tsx)$/.test(entry))
        for (const [, spec] of readFileSync(path, "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"'.][^"']*)["']/g))
          names.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
    }
  };
  for (const folder of ["policies", "test", "scripts"]) walk(join(root, folder));
  return names;
}

function packageJson(root: string, needs: Requirements): FileChange {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, any>;
  const notes: string[] = [];
  const used = importedPackages(root);
  const dependencies: Record<string, string> = {};
  for (const [name, range] of Object.entries<string>(pkg.dependencies ?? {})) {
    if (name in needs.dependencies && !used.has(name)) notes.push(`dependency ${name} removed: portico brings it`);
    else dependencies[name] = range;
  }
  dependencies.portico = `^${needs.version}`;
  notes.push(`dependency portico ^${needs.version} added, in place of the forked src/`);
  const devDependencies: Record<string, string> = {};
  for (const [name, range] of Object.entries<string>(pkg.devDependencies ?? {})) {
    const portico = name in needs.dependencies || name in needs.devDependencies;
    if (portico && !PROJECT_TOOLS.has(name) && !used.has(name)) notes.push(`devDependency ${name} removed: only Portico's own source used it`);
    else devDependencies[name] = range;
  }
  if (needs.wrangler && devDependencies.wrangler !== needs.wrangler) {
    notes.push(`devDependency wrangler ${devDependencies.wrangler ?? "(none)"} → ${needs.wrangler}, the range Portico ${needs.version} needs`);
    devDependencies.wrangler = needs.wrangler;
  }
  const scripts: Record<string, string> = {};
  for (const [name, command] of Object.entries<string>(pkg.scripts ?? {})) {
    const rewritten = command.replaceAll(/node (\.\/)?bin\/portico\.js/g, "portico");
    if (name in PACKAGE_SCRIPTS) scripts[name] = PACKAGE_SCRIPTS[name];
    else if (FORK_PATHS.test(rewritten) || /tsconfig\.(worker|node)/.test(rewritten))
      notes.push(`script ${name} removed: it ran Portico's own source (${command})`);
    else scripts[name] = rewritten;
  }
  for (const [name, command] of Object.entries(PACKAGE_SCRIPTS)) scripts[name] ??= command;
  notes.push(`scripts ${Object.keys(PACKAGE_SCRIPTS).join(", ")} call the portico command`);
  const next: Record<string, any> = { ...pkg, scripts, dependencies, devDependencies };
  for (const key of ["bin", "exports"] as const) {
    if (pkg[key] !== undefined && FORK_PATHS.test(JSON.stringify(pkg[key]))) {
      delete next[key];
      notes.push(`"${key}" removed: it pointed into the forked source`);
    }
  }
  return { file: "package.json", text: `${JSON.stringify(next, null, 2)}\n`, notes };
}

/**
 * wrangler.toml, edited line by line: no TOML library keeps comments when it
 * writes, and the three settings that change each sit on a line of their own.
 */
function wranglerToml(root: string): FileChange | undefined {
  const file = join(root, "wrangler.toml");
  if (!existsSync(file)) return undefined;
  const notes: string[] = [];
  let lines = readFileSync(file, "utf8").split("\n");
  lines = lines.map((line) => {
    if (/^main\s*=\s*["'](\.\/)?src\/worker\.ts["']/.test(line)) {
      notes.push(`main = "${PACKAGE_MAIN}", the entry the build writes`);
      return `main = "${PACKAGE_MAIN}"`;
    }
    if (/^command\s*=.*bin\/portico\.js/.test(line)) {
      notes.push("[build] command runs the portico command");
      return line.replace(/node (\.\/)?bin\/portico\.js/, "npx portico");
    }
    return line;
  });
  const alias = lines.findIndex((line) => /^portico\s*=\s*["'](\.\/)?src\/index\.ts["']/.test(line.trim()));
  if (alias >= 0) {
    lines.splice(alias, 1);
    notes.push('[alias] portico removed: "portico" is the installed package');
    // The [alias] table goes too when that was its only key, with the comment above it.
    const header = lines.findLastIndex((line, i) => i < alias && /^\[alias\]\s*$/.test(line.trim()));
    let end = header + 1;
    while (end < lines.length && !lines[end].trim().startsWith("[")) end++;
    if (header >= 0 && lines.slice(header + 1, end).every((line) => line.trim() === "" || line.trim().startsWith("#"))) {
      let start = header;
      while (start > 0 && lines[start - 1].trim().startsWith("#")) start--;
      lines.splice(start, header - start + 1);
    }
  }
  return notes.length > 0 ? { file: "wrangler.toml", text: lines.join("\n").replace(/\n{3,}/g, "\n\n"), notes } : undefined;
}

/** Every change that moves the fork at `root` onto the package. */
export function forkMigration(root: string, needs: Requirements): FileChange[] {
  const changes: FileChange[] = [packageJson(root, needs)];
  const toml = wranglerToml(root);
  if (toml) changes.push(toml);
  for (const folder of FORKED_FOLDERS) {
    if (existsSync(join(root, folder)))
      changes.push({ file: `${folder}/`, text: null, notes: [`${folder}/ removed: Portico's own source, which the portico package now brings`] });
  }
  return changes;
}
