/**
 * @module
 * `portico import zuplo <dir>`: writes a Portico project from a Zuplo project
 * (routes, handlers, policies, custom modules, local variables) and a report of
 * every part with no Portico counterpart.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { handlerAdapter, policyAdapter, rateLimitKeyAdapter, SET_QUERY_PARAMS } from "./adapter-source.ts";
import { copyModules } from "./modules.ts";
import { reportMarkdown } from "./report.ts";
import { RUNTIME_SHIM } from "./runtime-shim.ts";
import { routePath } from "./path-pattern.ts";
import { slug } from "./policy-map.ts";
import { mapRoute, UNMAPPED_DIR, type ImportState } from "./route-map.ts";
import { readZuploProject } from "./zuplo-project.ts";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export interface ImportResult {
  state: ImportState;
  operations: number;
  files: string[];
}

function declarePathParameters(path: string, operation: Record<string, any>, pathItem: Record<string, any>) {
  const declared = new Set([...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].filter((p) => p?.in === "path").map((p) => p.name));
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g))
    if (!declared.has(name)) (operation.parameters ??= []).push({ name, in: "path", required: true, schema: { type: "string" } });
}

export function importZuplo(zuploDir: string, outDir: string): ImportResult {
  const project = readZuploProject(zuploDir);
  const state: ImportState = { project, policies: {}, schemes: {}, adapters: [], extraFiles: new Set(), unmapped: [], notes: [], mappedPolicies: new Map() };
  const first = project.routeFiles[0].document;
  const document: Record<string, any> = { openapi: "3.1.0", info: first.info ?? { title: "Imported from Zuplo", version: "1.0.0" }, paths: {} };
  const components: Record<string, any> = {};
  let operations = 0;
  for (const { file, document: routes } of project.routeFiles) {
    for (const [kind, entries] of Object.entries(routes.components ?? {})) Object.assign((components[kind] ??= {}), entries);
    for (const [zuploPath, item] of Object.entries<Record<string, any>>(routes.paths ?? {})) {
      const pointer = `/paths/${zuploPath.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      const { path, problem } = routePath(zuploPath, item);
      // A path that cannot be said keeps its route: each operation lists a policy that does not exist, so the build stops there.
      const pathStop = problem ? `zuplo-unmapped-path-${slug(path)}` : undefined;
      if (problem) {
        state.unmapped.push({ file, place: `${pointer}/x-zuplo-path`, reason: problem });
        state.policies[pathStop!] = { use: `./${UNMAPPED_DIR}/path-${slug(zuploPath)}.ts` };
      }
      if (document.paths[path]) throw new Error(`${file}: the paths ${zuploPath} and ${path} are one OpenAPI path; rename one of them in Zuplo first.`);
      const { "x-zuplo-path": _mode, ...pathItem } = item;
      for (const method of METHODS.filter((m) => pathItem[m])) {
        const { "x-zuplo-route": route, ...operation } = pathItem[method];
        operations++;
        operation.operationId ??= `${method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`;
        declarePathParameters(path, operation, pathItem);
        if (!route) {
          state.unmapped.push({ file, place: `${pointer}/${method}`, reason: "the operation has no x-zuplo-route: Zuplo does not serve it" });
          operation["x-portico"] = { handler: { use: "./policies/zuplo-unmapped/no-route.ts" } };
          pathItem[method] = operation;
          continue;
        }
        const { xPortico, security } = mapRoute(state, route, path, method, { file, place: `${pointer}/${method}/x-zuplo-route`, reason: "" });
        if (pathStop) xPortico.inbound = [pathStop, ...((xPortico.inbound as string[] | undefined) ?? [])];
        pathItem[method] = { ...operation, security, "x-portico": xPortico };
      }
      document.paths[path] = pathItem;
    }
  }
  if (Object.keys(state.schemes).length > 0) (components.securitySchemes ??= {}) && Object.assign(components.securitySchemes, state.schemes);
  if (Object.keys(components).length > 0) document.components = components;
  if (Object.keys(state.policies).length > 0) document["x-portico"] = { policies: state.policies };
  return { state, operations, files: writeProject(state, document, outDir, operations) };
}

function writeProject(state: ImportState, document: Record<string, unknown>, outDir: string, operations: number): string[] {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new Error(`${outDir} is not empty: import into a new folder.`);
  const files: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    writeFileSync(join(outDir, file), text);
    files.push(file);
  };
  write("openapi/openapi.yaml", `# Imported from a Zuplo project by \`portico import zuplo\`; see IMPORT-REPORT.md.\n${stringify(document, { lineWidth: 0 })}`);
  if (state.project.modules.length > 0 || state.adapters.length > 0) {
    write("policies/zuplo/runtime.ts", RUNTIME_SHIM);
    state.unmapped.push(...copyModules(state.project.dir, state.project.modules, outDir));
    files.push(...state.project.modules.map((m) => `policies/zuplo/modules/${m}`));
  }
  for (const adapter of state.adapters) {
    const modulePath = `./${adapter.module}`;
    const name = adapter.file.replace(/^.*\//, "").replace(/\..*$/, "");
    const text =
      adapter.kind === "handler"
        ? handlerAdapter(adapter.exportName, modulePath, adapter.origin)
        : adapter.kind === "rate-limit-key"
          ? rateLimitKeyAdapter(adapter.exportName, modulePath, name, adapter.origin)
          : policyAdapter(adapter.kind, adapter.exportName, modulePath, name, adapter.options, adapter.origin);
    write(adapter.file, text);
  }
  if (state.extraFiles.has("set-query-params")) write("policies/zuplo/set-query-params.ts", SET_QUERY_PARAMS);
  const env = Object.entries(state.project.env);
  if (env.length > 0) write(".dev.vars", env.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join("\n") + "\n");
  write("IMPORT-REPORT.md", reportMarkdown(state, operations));
  return files;
}
