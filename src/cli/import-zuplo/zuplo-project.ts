/**
 * @module
 * Reads a Zuplo project as Zuplo documents its layout: the routes in
 * config/*.oas.json (each operation's `x-zuplo-route`), the policy instances and
 * CORS policies in config/policies.json, custom code in modules/, the project
 * file zuplo.jsonc and local variables in .env.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** `{ export, module, options }`: a built-in (`$import(@zuplo/runtime)`) or a module of the project (`$import(./modules/x)`). */
export interface ZuploHandlerRef {
  export: string;
  module: string;
  options?: Record<string, unknown>;
}

export interface ZuploPolicy {
  name: string;
  policyType: string;
  handler: ZuploHandlerRef;
}

export interface ZuploCorsPolicy {
  name: string;
  allowedOrigins: string[] | string;
  allowedMethods?: string[] | string;
  allowedHeaders?: string[] | string;
  exposeHeaders?: string[] | string;
  maxAge?: number;
  allowCredentials?: boolean;
}

export interface ZuploRoute {
  corsPolicy?: string;
  handler: ZuploHandlerRef;
  policies?: { inbound?: string[]; outbound?: string[] };
}

export interface ZuploProject {
  dir: string;
  /** Each routes file: its name under config/ and the parsed document. */
  routeFiles: { file: string; document: Record<string, any> }[];
  policies: ZuploPolicy[];
  corsPolicies: ZuploCorsPolicy[];
  /** Files under modules/, relative to it. */
  modules: string[];
  /** Variables .env sets, for local development. */
  env: Record<string, string>;
  compatibilityDate?: string;
}

function readJson(file: string): any {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message}).`);
  }
}

function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** KEY=value lines; quotes around a value are dropped, # starts a comment line. */
function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) vars[match[1]] = match[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}

export function readZuploProject(dir: string): ZuploProject {
  const config = join(dir, "config");
  if (!existsSync(config)) throw new Error(`${dir} has no config/ folder: is it a Zuplo project?`);
  const routeFiles = readdirSync(config)
    .filter((file) => file.endsWith(".oas.json"))
    .sort()
    .map((file) => ({ file: `config/${file}`, document: readJson(join(config, file)) }));
  if (routeFiles.length === 0) throw new Error(`${config} holds no *.oas.json routes file.`);
  const policiesFile = join(config, "policies.json");
  const policiesJson = existsSync(policiesFile) ? readJson(policiesFile) : {};
  const jsonc = join(dir, "zuplo.jsonc");
  // Only the compatibility date is read (for the report); a regex spares a JSONC parser.
  const compatibilityDate = existsSync(jsonc) ? /"compatibilityDate"\s*:\s*"([^"]+)"/.exec(readFileSync(jsonc, "utf8"))?.[1] : undefined;
  return {
    dir,
    routeFiles,
    policies: policiesJson.policies ?? [],
    corsPolicies: policiesJson.corsPolicies ?? [],
    modules: listFiles(join(dir, "modules")),
    env: readDotEnv(join(dir, ".env")),
    compatibilityDate,
  };
}

/** `$import(./modules/x)` → `modules/x`; `$import(@zuplo/runtime)` → `@zuplo/runtime`. */
export function importTarget(module: string): string {
  return module.replace(/^\$import\((.*)\)$/, "$1").replace(/^\.\//, "");
}

export const ZUPLO_RUNTIME = "@zuplo/runtime";
