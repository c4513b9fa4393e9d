/**
 * @module
 * Copies the Zuplo project's modules/ into policies/zuplo/modules/, pointing
 * their `@zuplo/runtime` imports at the stand-in policies/zuplo/runtime.ts, and
 * reports each import and each member use (member-scan.ts) the stand-in does
 * not provide (the build then stops at it).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { markUnprovidedMembers } from "./member-scan.ts";
import type { Unmapped } from "./route-map.ts";
import { SHIM_EXPORTS } from "./runtime-shim.ts";
import { ZUPLO_RUNTIME } from "./zuplo-project.ts";

const IMPORT = /import\s+(type\s+)?(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*(["'])([^"']+)\4/g;
const CODE = /\.(ts|mts|js|mjs)$/;

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** Copies every module; returns what the stand-in cannot give them. */
export function copyModules(zuploDir: string, modules: string[], outDir: string): Unmapped[] {
  const unmapped: Unmapped[] = [];
  for (const module of modules) {
    const from = join(zuploDir, "modules", module);
    const to = join(outDir, "policies/zuplo/modules", module);
    mkdirSync(dirname(to), { recursive: true });
    if (!CODE.test(module)) {
      copyFileSync(from, to);
      continue;
    }
    const source = readFileSync(from, "utf8");
    const runtime = posix.relative(posix.dirname(`policies/zuplo/modules/${module}`), "policies/zuplo/runtime.ts");
    for (const match of source.matchAll(IMPORT)) {
      const [, , defaultName, named = "", , specifier] = match;
      const place = `line ${lineOf(source, match.index ?? 0)}`;
      const file = `modules/${module}`;
      if (specifier === ZUPLO_RUNTIME) {
        const names = named
          .split(",")
          .map(
            (n) =>
              n
                .trim()
                .replace(/^type\s+/, "")
                .split(/\s+as\s+/)[0],
          )
          .filter(Boolean);
        if (defaultName) names.push("default");
        for (const name of names.filter((n) => !SHIM_EXPORTS.includes(n)))
          unmapped.push({ file, place, reason: `\`${name}\` from @zuplo/runtime has no Portico counterpart` });
      } else if (!specifier.startsWith(".") && !specifier.startsWith("/")) {
        unmapped.push({ file, place, reason: `the package \`${specifier}\` is not installed: add it to package.json, or replace it` });
      }
    }
    const marked = markUnprovidedMembers(source, `policies/zuplo/modules/${module}`);
    for (const { use, line } of marked.uses)
      unmapped.push({ file: `modules/${module}`, place: `line ${line}`, reason: `\`${use}\` is not provided on Portico: it would fail at run time` });
    const rewritten = marked.source.replace(/(["'])@zuplo\/runtime\1/g, JSON.stringify(runtime.startsWith(".") ? runtime : `./${runtime}`));
    writeFileSync(to, rewritten);
  }
  return unmapped;
}
