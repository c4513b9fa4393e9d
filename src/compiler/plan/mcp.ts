/**
 * @module
 * `x-portico.mcp`, planned: which operations are tools and what each looks
 * like (mcp-tools.ts), where the server answers (a path no document path
 * takes), which credentials a tool call carries, and the protected-resource
 * metadata of bearer schemes. The result is a mount of the generated app:
 * without `x-portico.mcp`, no MCP code is in the bundle.
 */
import { fileURLToPath } from "node:url";
import { didYouMean } from "../../did-you-mean.ts";
import type { PortalMcp } from "../../portal-input.ts";
import { DEFAULT_MCP_MAX_BODY_BYTES, DEFAULT_MCP_PATH, RESOURCE_METADATA_PREFIX, type McpConfig, type McpTool } from "../../mcp/options.ts";
import type { PlannedPath } from "../emit/emit.ts";
import { BuildError, joinPointer } from "../errors.ts";
import type { SourceSet } from "../spec/sources.ts";
import { forDirection } from "../validators/read-write-only.ts";
import { resolved } from "./mcp-schemas.ts";
import { portalMcp, type ToolOperation } from "./mcp-portal.ts";
import { issuerOf, planTool, snakeCase } from "./mcp-tools.ts";
import { toolCredentials } from "./mcp-credentials.ts";
import { pathCollision } from "./mcp-path.ts";
import { basePathOf, HTTP_METHODS } from "./paths.ts";

const MCP_MODULE = fileURLToPath(new URL("../../mcp/index.ts", import.meta.url).href);
const GUIDE = "docs/mcp.md";

export interface McpPlan {
  mounts: Array<{ module: string; config: McpConfig }>;
  /** What the developer portal shows of the server, when one is served. */
  portal?: PortalMcp;
  errors: BuildError[];
  warnings: BuildError[];
}

export function planMcp(document: Record<string, any>, sources: SourceSet, paths: PlannedPath[], portalBase?: string): McpPlan {
  const plan: McpPlan = { mounts: [], errors: [], warnings: [] };
  const ext = document["x-portico"]?.mcp;
  // In the document's order, which its authors chose, rather than the router's.
  const order = (op: { path: string; method: string }) =>
    Object.keys(document.paths).indexOf(op.path) * HTTP_METHODS.length + HTTP_METHODS.indexOf(op.method.toLowerCase() as (typeof HTTP_METHODS)[number]);
  const operations = paths.flatMap((entry) => entry.operations).sort((a, b) => order(a) - order(b));
  const pointerOf = (path: string, method: string) => joinPointer("/paths", path, method.toLowerCase());
  const operationOf = (path: string, method: string) => document.paths[path][method.toLowerCase()] as Record<string, any>;
  const own = (path: string, method: string) => operationOf(path, method)["x-portico"]?.mcp as boolean | { tool?: string; description?: string } | undefined;
  if (ext === undefined) {
    for (const op of operations.filter((op) => own(op.path, op.method))) {
      plan.warnings.push(
        new BuildError(
          sources.locate(joinPointer(pointerOf(op.path, op.method), "x-portico", "mcp")),
          `${op.operationId} is marked as an MCP tool, but the document has no x-portico.mcp: no MCP server is served.`,
          `Add x-portico: { mcp: { path: /mcp } } at the document root (see ${GUIDE}).`,
          "warning",
        ),
      );
    }
    return plan;
  }
  const error = (pointer: string, message: string, hint: string) => plan.errors.push(new BuildError(sources.locate(pointer), message, hint));
  const basePath = basePathOf(document.servers);
  const path: string = ext.path ?? DEFAULT_MCP_PATH;
  const pathPointer = ext.path === undefined ? "/x-portico/mcp" : "/x-portico/mcp/path";
  // What else answers `at`: the gateway's own routes, the portal, or a document path.
  const collision = (at: string) => pathCollision(at, paths, basePath, portalBase);
  const refuseTaken = (at: string, what: string) => {
    const taken = collision(at);
    if (taken)
      error(pathPointer, `The MCP ${what} ${at} is ${taken}.`, `Choose another x-portico.mcp.path (such as /mcp/v1), or move the operation; see ${GUIDE}.`);
  };
  refuseTaken(path, "path");

  // include: every name must be one the document has.
  const ids = operations.map((op) => op.operationId);
  const tagsOf = (path: string, method: string): string[] => operationOf(path, method).tags ?? [];
  const allTags = [...new Set(operations.flatMap((op) => tagsOf(op.path, op.method)))];
  const tags: string[] = ext.include?.tags ?? [];
  const listed: string[] = ext.include?.operations ?? [];
  tags.forEach((tag, i) => {
    if (allTags.includes(tag)) return;
    error(`/x-portico/mcp/include/tags/${i}`, `No operation has the tag "${tag}".`, `${didYouMean(tag, allTags)}Tags used: ${allTags.join(", ") || "none"}.`);
  });
  listed.forEach((id, i) => {
    if (ids.includes(id)) return;
    error(`/x-portico/mcp/include/operations/${i}`, `No operation has the operationId "${id}".`, `${didYouMean(id, ids)}Name operations by their operationId.`);
  });

  const request = forDirection(document, "request");
  const response = forDirection(document, "response");
  const tools: McpTool[] = [];
  const toolOperations: ToolOperation[] = [];
  const byName = new Map<string, string>();
  const issuers = new Set<string>();
  const warned = new Set<string>();
  for (const op of operations) {
    const setting = own(op.path, op.method);
    const chosen = setting === true || (typeof setting === "object" && setting !== null);
    if (setting === false || !(chosen || listed.includes(op.operationId) || tagsOf(op.path, op.method).some((tag) => tags.includes(tag)))) continue;
    const options = typeof setting === "object" ? setting : {};
    const name = options.tool ?? snakeCase(op.operationId);
    const at = pointerOf(op.path, op.method);
    const earlier = byName.get(name);
    // Two operations with one operationId: the build says so once, at the operationId, not again here.
    if (earlier !== undefined && !options.tool && earlier === op.operationId) continue;
    if (earlier) {
      error(
        options.tool ? joinPointer(at, "x-portico", "mcp", "tool") : at,
        `The MCP tool name "${name}" is given to both ${earlier} and ${op.operationId}.`,
        "Give one of them another name: x-portico: { mcp: { tool: another_name } } on the operation.",
      );
      continue;
    }
    byName.set(name, op.operationId);
    const source = { request, response, path: op.path, method: op.method.toLowerCase(), basePath, operationId: op.operationId, name };
    toolOperations.push({ operationId: op.operationId, method: op.method.toLowerCase(), path: op.path });
    tools.push(planTool({ ...source, ...(options.description ? { description: options.description } : {}) }));
    // Bearer schemes: their issuer is where an MCP client signs in; without one it cannot find it.
    const security: unknown = operationOf(op.path, op.method).security ?? document.security ?? [];
    for (const scheme of (Array.isArray(security) ? security : []).flatMap((requirement) => Object.keys(requirement ?? {}))) {
      const definition = resolved(document, document.components?.securitySchemes?.[scheme]);
      const issuer = issuerOf(definition);
      if (issuer) issuers.add(issuer);
      const bearer = definition?.type === "oauth2" || definition?.type === "openIdConnect" || String(definition?.scheme).toLowerCase() === "bearer";
      if (issuer || !bearer || definition?.["x-portico"]?.credential === "apiKey" || warned.has(scheme)) continue;
      warned.add(scheme);
      plan.warnings.push(
        new BuildError(
          sources.locate(joinPointer("/components/securitySchemes", scheme)),
          `The MCP tools take tokens of the security scheme "${scheme}", which names no issuer: MCP clients cannot find where to sign in.`,
          `Add x-portico: { issuer: "https://id.example/" } to the scheme (see ${GUIDE}#authentication).`,
          "warning",
        ),
      );
    }
  }
  if (tools.length === 0 && plan.errors.length === 0) {
    plan.warnings.push(
      new BuildError(
        sources.locate("/x-portico/mcp"),
        "x-portico.mcp serves no tool: no operation is included.",
        "List the operations to serve: include: { tags: [Exhibits] } or include: { operations: [listExhibits] }, or x-portico: { mcp: true } on an operation.",
        "warning",
      ),
    );
  }
  const scopes = [...new Set(tools.flatMap((tool) => tool.bearerScopes ?? []))];
  if (issuers.size > 0) refuseTaken(RESOURCE_METADATA_PREFIX + path, "protected-resource metadata path");
  const config: McpConfig = {
    path,
    name: String(ext.name ?? document.info?.title ?? "API"),
    version: String(document.info?.version ?? "0.0.0"),
    maxBodyBytes: ext.maxBodyBytes ?? DEFAULT_MCP_MAX_BODY_BYTES,
    origins: ext.origins ?? [],
    tools,
    credentials: toolCredentials(document),
    ...(issuers.size > 0 ? { resource: { issuers: [...issuers], scopes } } : {}),
  };
  if (plan.errors.length === 0) {
    plan.mounts.push({ module: MCP_MODULE, config });
    plan.portal = portalMcp(document, config, toolOperations);
  }
  return plan;
}
