/**
 * @module
 * test/api/api.test.ts, made from the project's document: `portico init`
 * writes it for the document it puts in place, `portico init --tests` for the
 * one already there.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { CompileResult } from "../../compiler/compile.ts";
import { apiCases, type ApiCases } from "./api-cases.ts";
import { apiTestSource } from "./api-test-source.ts";

/** Where the test goes, relative to the project root. */
export const API_TEST = "test/api/api.test.ts";

/** Laid out by the project's own Prettier when it has one, so `prettier --check` passes on it; as written otherwise. */
async function formatted(file: string, source: string): Promise<string> {
  try {
    const prettier = await import("prettier");
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(source, { ...options, filepath: file });
  } catch {
    return source;
  }
}

/** The test's text for a project whose document built into `plan`; `spec` names the document as the project holds it. */
export async function apiTest(root: string, plan: NonNullable<CompileResult["plan"]>, spec: string): Promise<{ source: string } & ApiCases> {
  const found = await apiCases(plan);
  const source = apiTestSource({
    ...found,
    title: String(plan.document.info?.title ?? "The API"),
    spec,
    storesConsumers: existsSync(join(root, "test/support/consumers.ts")),
  });
  return { source: await formatted(join(resolve(root), API_TEST), source), ...found };
}

/**
 * Builds the project at `root` (as `portico check` does) and writes its test of the API.
 * Returns the cases, or the build's result when it does not build.
 */
export async function writeApiTest(root: string): Promise<({ ok: true; file: string } & ApiCases) | { ok: false; result: CompileResult }> {
  const { compile, specPath } = await import("../../compiler/compile.ts");
  const result = await compile({ root, check: true });
  if (result.errors.length > 0 || !result.plan) return { ok: false, result };
  const spec = relative(resolve(root), specPath(resolve(root))).replaceAll("\\", "/");
  const { source, ...found } = await apiTest(root, result.plan, spec);
  const file = join(resolve(root), API_TEST);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
  return { ok: true, file, ...found };
}
