/**
 * @module
 * What `portico doctor` finds: the project's Portico and wrangler against what
 * this Portico needs (wrangler range, compatibility date and flags), the
 * Durable Object bindings and migrations its wrangler.toml lacks (the build's
 * own binding check, plus a migration for each bound class), and the
 * deprecated x-portico keys an upgrade changes.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import semver from "semver";
import { specPath } from "../../compiler/compile.ts";
import { durableObjectClasses } from "../../compiler/emit/durable-objects.ts";
import type { Problem } from "../style.ts";
import { findDeprecatedKeys, renameDeprecatedKeys } from "./deprecated-keys.ts";
import { DEPRECATIONS, type Deprecation } from "./deprecations.ts";
import { projectLayout, type Layout } from "./layout.ts";
import { readJson, readToml, requirements, type Requirements } from "./requirements.ts";

export interface DoctorReport {
  layout: Layout;
  needs: Requirements;
  project: { compatibilityDate?: string; compatibilityFlags: string[]; wrangler?: string };
  findings: Problem[];
}

export interface DoctorOptions {
  /** Defaults to the table Portico keeps; tests pass their own. */
  deprecations?: readonly Deprecation[];
  /** Defaults to the running Portico's own package. */
  needs?: Requirements;
}

export async function doctorReport(root: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const needs = options.needs ?? requirements();
  const deprecations = options.deprecations ?? DEPRECATIONS;
  const findings: Problem[] = [];
  const layout = projectLayout(root);
  if (layout.kind === "fork")
    findings.push({
      severity: "warning",
      message: "The project is a fork of Portico's source (src/ beside openapi/): every Portico release must be merged into it by hand.",
      where: "src/",
      hint: "`npx portico migrate` moves it onto the portico package (docs/cli.md#portico-migrate).",
    });
  const toml = readToml(join(root, "wrangler.toml"));
  const wrangler = readJson(join(root, "node_modules", "wrangler", "package.json"))?.version as string | undefined;
  const project = {
    compatibilityDate: toml?.compatibility_date === undefined ? undefined : String(toml.compatibility_date),
    compatibilityFlags: (toml?.compatibility_flags ?? []) as string[],
    wrangler,
  };
  if (!toml)
    findings.push({
      severity: "error",
      message: "The project has no wrangler.toml.",
      where: "wrangler.toml",
      hint: "copy the one `npm create portico` writes.",
    });
  else findings.push(...compatibility(project, needs), ...missingMigrations(toml));
  if (needs.wrangler && !wrangler)
    findings.push({
      severity: "warning",
      message: "wrangler is not installed.",
      where: "node_modules/wrangler",
      hint: `npm install -D wrangler@"${needs.wrangler}"`,
    });
  else if (needs.wrangler && wrangler && !semver.satisfies(wrangler, needs.wrangler))
    findings.push({
      severity: "warning",
      message: `wrangler ${wrangler} is installed; Portico ${needs.version} needs ${needs.wrangler}.`,
      where: "node_modules/wrangler",
      hint: `npm install -D wrangler@"${needs.wrangler}"`,
    });
  const spec = specPath(root);
  const text = existsSync(spec) ? readFileSync(spec, "utf8") : undefined;
  const file = relative(root, spec);
  for (const key of text === undefined ? [] : findDeprecatedKeys(text, deprecations)) {
    const { from, to, since, note } = key.deprecation;
    findings.push({
      severity: "warning",
      message: `x-portico key "${from}" is deprecated since Portico ${since}${to ? `: it is now spelt "${to}"` : " and has no replacement"}.`,
      where: `${file}:${key.line} (${key.pointer})`,
      hint: key.mechanical ? `\`npx portico migrate\` renames it to "${to}".` : (note ?? `remove it${to ? `, keeping "${to}"` : ""}.`),
    });
  }
  if (text !== undefined) findings.push(...(await bindingFindings(root, spec, text, deprecations)));
  return { layout, needs, project, findings };
}

function compatibility(project: DoctorReport["project"], needs: Requirements): Problem[] {
  const found: Problem[] = [];
  const date = needs.compatibilityDate;
  if (date && (!project.compatibilityDate || project.compatibilityDate < date))
    found.push({
      severity: "warning",
      message: `compatibility_date is ${project.compatibilityDate ?? "not set"}; Portico ${needs.version} is built and tested against ${date}.`,
      where: "wrangler.toml",
      hint: `set compatibility_date = "${date}" (https://developers.cloudflare.com/workers/configuration/compatibility-dates/ lists what changes).`,
    });
  const missing = needs.compatibilityFlags.filter((flag) => !project.compatibilityFlags.includes(flag));
  if (missing.length > 0)
    found.push({
      severity: "warning",
      message: `compatibility_flags lacks ${missing.join(", ")}, which Portico ${needs.version} relies on.`,
      where: "wrangler.toml",
      hint: `set compatibility_flags = ${JSON.stringify([...new Set([...project.compatibilityFlags, ...missing])])}.`,
    });
  return found;
}

/** Each of Portico's Durable Object classes the project binds needs a migration that creates it, or wrangler refuses to deploy. */
function missingMigrations(toml: Record<string, any>): Problem[] {
  const ours = durableObjectClasses();
  const created = new Set<string>(
    (toml.migrations ?? []).flatMap((m: Record<string, string[]>) => [...(m.new_sqlite_classes ?? []), ...(m.new_classes ?? [])]),
  );
  const bound = (toml.durable_objects?.bindings ?? []) as Array<{ name: string; class_name: string }>;
  return bound
    .filter((binding) => ours.has(binding.class_name) && !created.has(binding.class_name))
    .map((binding) => ({
      severity: "warning" as const,
      message: `The Durable Object binding ${binding.name} names ${binding.class_name}, which no [[migrations]] entry creates: wrangler will refuse to deploy it.`,
      where: "wrangler.toml",
      hint: `Add to wrangler.toml:\n[[migrations]]\ntag = "<a new tag, e.g. add-${binding.class_name.toLowerCase()}>"\nnew_sqlite_classes = ["${binding.class_name}"]`,
    }));
}

/**
 * The build's own check of the bindings the policies use. A renamed key fails
 * the build, so the document is checked as `portico migrate` would leave it: a
 * copy beside the original (its relative $refs then still resolve), removed at once.
 */
async function bindingFindings(root: string, spec: string, text: string, deprecations: readonly Deprecation[]): Promise<Problem[]> {
  const { compile } = await import("../../compiler/compile.ts");
  const migrated = renameDeprecatedKeys(text, deprecations);
  const copy = migrated.renamed.length > 0 ? join(dirname(spec), `.doctor-${process.pid}-${basename(spec)}`) : spec;
  if (copy !== spec) writeFileSync(copy, migrated.text);
  try {
    const result = await compile({ root, spec: relative(root, copy), check: true, typecheck: false });
    const real = (where: string) => where.replaceAll(relative(root, copy), relative(root, spec));
    if (result.errors.length > 0)
      return [
        {
          severity: "error",
          message: `The project does not build (${result.errors.length} error(s)), so the bindings its policies use were not checked.`,
          where: real(result.errors[0].where),
          hint: "run `npx portico check` for each error, located.",
        },
      ];
    return result.warnings
      .filter((warning) => warning.hint.includes("wrangler.toml"))
      .map((warning) => ({ severity: "warning", message: warning.message, where: real(warning.where), hint: warning.hint }));
  } finally {
    if (copy !== spec) rmSync(copy, { force: true });
  }
}
