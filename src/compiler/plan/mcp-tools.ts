/**
 * @module
 * One operation as an MCP tool: its input schema, one object made of the
 * path, query, header and cookie parameters and the body (a plain object
 * body's properties become arguments of their own), its output schema from
 * the 2xx JSON answer, its annotations from the method, and the map that
 * turns a call's arguments back into the operation's request.
 */
import type { McpTool, ToolArgument } from "../../mcp/options.ts";
import { isObjectSchema, plainProperties, resolved, SchemaBundle } from "./mcp-schemas.ts";

type Schema = Record<string, any>;

export interface ToolSource {
  /** The document as requests read it (readOnly left out of `required`), and as responses read it. */
  request: Schema;
  response: Schema;
  path: string;
  /** Lower case, as the document has it. */
  method: string;
  basePath: string;
  operationId: string;
  name: string;
  description?: string;
}

/** OpenAPI 3.1 §4.8.12.1: header parameters of these names are ignored. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);
const LOCATIONS = ["path", "query", "header", "cookie"] as const;

/** `listExhibits` → `list_exhibits`, `GET /a/{b}` → `get_a_b`: the default tool name. */
export function snakeCase(operationId: string): string {
  const words = operationId
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_");
  return (
    words
      .replace(/^_+|_+$/g, "")
      .toLowerCase()
      .slice(0, 128) || "operation"
  );
}

/** The issuer MCP clients sign in with for a bearer scheme (OAuth 2 or OpenID Connect), when the document names one. */
export function issuerOf(scheme: Schema | undefined): string | undefined {
  const ext = scheme?.["x-portico"] ?? {};
  const bearer = scheme?.type === "http" && String(scheme.scheme).toLowerCase() === "bearer";
  if (!(bearer || scheme?.type === "oauth2" || scheme?.type === "openIdConnect") || ext.credential === "apiKey") return undefined;
  if (typeof ext.issuer === "string") return ext.issuer;
  const discovery = ext.discovery ?? (scheme?.type === "openIdConnect" ? scheme.openIdConnectUrl : undefined);
  return typeof discovery === "string" ? discovery.replace(/\/\.well-known\/(openid-configuration|oauth-authorization-server)$/, "") : undefined;
}

/** The scopes of the operation's bearer schemes with an issuer, or undefined when it has none. */
function bearerScopes(document: Schema, operation: Schema): string[] | undefined {
  const security: unknown = operation.security ?? document.security ?? [];
  let found: Set<string> | undefined;
  for (const requirement of Array.isArray(security) ? security : []) {
    for (const [name, scopes] of Object.entries<unknown>(requirement ?? {})) {
      if (!issuerOf(resolved(document, document.components?.securitySchemes?.[name]))) continue;
      found ??= new Set();
      for (const scope of Array.isArray(scopes) ? scopes : []) found.add(String(scope));
    }
  }
  return found && [...found];
}

/** The operation's parameters, its own replacing its path item's of the same name and place. */
function parametersOf(document: Schema, path: string, operation: Schema): Schema[] {
  const byKey = new Map<string, Schema>();
  for (const raw of [...(document.paths[path].parameters ?? []), ...(operation.parameters ?? [])]) {
    const param = resolved(document, raw);
    if (!param || !LOCATIONS.includes(param.in) || typeof param.name !== "string") continue;
    if (param.in === "header" && IGNORED_HEADERS.has(param.name.toLowerCase())) continue;
    byKey.set(`${param.in} ${param.name}`, param);
  }
  return [...byKey.values()];
}

/** The media type a tool sends its body as: JSON first, then a form, then the first declared. */
function bodyMediaType(content: Schema): string | undefined {
  const types = Object.keys(content);
  return (
    types.find((type) => /^application\/([\w.+-]*\+)?json$/i.test(type)) ??
    types.find((type) => /^application\/x-www-form-urlencoded$/i.test(type)) ??
    types.find((type) => /^multipart\/form-data$/i.test(type)) ??
    types[0]
  );
}

interface Candidate extends Omit<ToolArgument, "arg"> {
  schema: unknown;
  description?: string;
  deprecated?: boolean;
  required: boolean;
}

/** The one schema of every 2xx answer, when they all have the same JSON object schema. */
function outputSchemaOf(document: Schema, operation: Schema): unknown {
  const answers = Object.entries<unknown>(operation.responses ?? {}).filter(([status]) => /^2(\d\d|XX)$/i.test(status));
  const schemas = answers.map(([, raw]) => {
    const content: Schema = resolved(document, raw)?.content ?? {};
    const type = Object.keys(content).find((name) => /^application\/([\w.+-]*\+)?json$/i.test(name));
    return type ? content[type].schema : undefined;
  });
  if (schemas.length === 0 || schemas.some((schema) => schema === undefined || JSON.stringify(schema) !== JSON.stringify(schemas[0]))) return undefined;
  return isObjectSchema(document, schemas[0]) ? schemas[0] : undefined;
}

export function planTool(source: ToolSource): McpTool {
  const { request: document, path, method } = source;
  const operation: Schema = document.paths[path][method];
  const candidates: Candidate[] = parametersOf(document, path, operation).map((param) => {
    const mediaType = param.content ? Object.keys(param.content)[0] : undefined;
    const explode = param.explode ?? (param.style ?? "form") === "form";
    return {
      in: param.in,
      name: param.name,
      schema: mediaType ? (param.content[mediaType].schema ?? {}) : (param.schema ?? {}),
      description: param.description,
      deprecated: param.deprecated === true,
      required: param.in === "path" || param.required === true,
      ...(mediaType ? { json: true as const } : { style: param.style ?? (param.in === "query" || param.in === "cookie" ? "form" : "simple"), explode }),
    };
  });
  const body = resolved(document, operation.requestBody);
  const mediaType = body?.content ? bodyMediaType(body.content) : undefined;
  if (body && mediaType) {
    const schema = body.content[mediaType].schema ?? {};
    const plain = mediaType.includes("json") || mediaType.includes("form") ? plainProperties(resolved(document, schema)) : undefined;
    if (plain) {
      for (const [name, property] of Object.entries(plain.properties)) {
        if (resolved(document, property)?.readOnly === true) continue;
        candidates.push({ in: "body", name, schema: property, required: body.required === true && plain.required.includes(name) });
      }
    } else {
      candidates.push({ in: "body", schema, description: body.description, required: body.required === true });
    }
  }

  // Argument names: the parameter's own, made safe for every model's tool format; a name two places share is prefixed with its place.
  const safe = (name: string) => name.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64) || "value";
  const counts = new Map<string, number>();
  for (const candidate of candidates) counts.set(safe(candidate.name ?? "body"), (counts.get(safe(candidate.name ?? "body")) ?? 0) + 1);
  const taken = new Set<string>();
  const bundle = new SchemaBundle(document);
  const properties: Schema = {};
  const required: string[] = [];
  const args: ToolArgument[] = candidates.map(({ schema, description, deprecated, required: needed, ...where }) => {
    const base = safe(where.name ?? "body");
    const wanted = counts.get(base)! > 1 ? safe(`${where.in}_${base}`) : base;
    let arg = wanted;
    for (let n = 2; taken.has(arg); n++) arg = `${wanted}_${n}`;
    taken.add(arg);
    const copy = bundle.copy(schema);
    properties[arg] = { ...copy, ...(description && copy.description === undefined ? { description } : {}), ...(deprecated ? { deprecated } : {}) };
    if (needed) required.push(arg);
    return { arg, ...where };
  });
  const inputSchema = bundle.close({ type: "object", properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false });

  const output = outputSchemaOf(source.response, source.response.paths[path][method]);
  const outputBundle = new SchemaBundle(source.response);
  const outputSchema = output === undefined ? undefined : outputBundle.close(outputBundle.copy(resolved(source.response, output)));
  const verb = method.toUpperCase();
  const scopes = bearerScopes(document, operation);
  return {
    name: source.name,
    ...(typeof operation.summary === "string" ? { title: operation.summary } : {}),
    ...((source.description ?? operation.description ?? operation.summary)
      ? { description: source.description ?? operation.description ?? operation.summary }
      : {}),
    inputSchema,
    ...(outputSchema ? { outputSchema } : {}),
    annotations: {
      readOnlyHint: verb === "GET" || verb === "HEAD",
      ...(verb === "DELETE" ? { destructiveHint: true } : {}),
      ...(verb === "PUT" || verb === "DELETE" ? { idempotentHint: true } : {}),
    },
    method: verb,
    // A path key's `#fragment` or `?query` names a path item, not a part of the URL (plan-paths.ts).
    path: source.basePath + path.split("#")[0].split("?")[0],
    arguments: args,
    ...(mediaType ? { mediaType } : {}),
    ...(scopes ? { bearerScopes: scopes } : {}),
  };
}
