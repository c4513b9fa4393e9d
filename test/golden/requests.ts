/**
 * @module
 * The fixed request set of the golden test, derived from an OpenAPI document
 * alone (never from what the gateway serves), so the same document always
 * gives the same requests, whatever the code under test does with them.
 *
 * For the first MAX_OPERATIONS operations in document order:
 *   - a valid request: path parameters filled from their examples or schema
 *     (else "1"), required query, header and cookie parameters likewise, and a
 *     body from the media type's example (else sampled from its schema);
 *   - an invalid one, where the operation allows it: a required query, header
 *     or cookie parameter left out, else a JSON body of the wrong type, else a
 *     number-typed path parameter given as text;
 *   - where security applies: the valid request without credentials and with
 *     wrong ones. When a test consumer's API key can satisfy the operation's
 *     security (API key or HTTP basic schemes), the valid and invalid requests
 *     carry it, so they reach validation and the handler.
 * For each path of those operations: a CORS preflight, a HEAD, and a method the
 * path does not declare (405). Once per document: a simple CORS request, a
 * preflight from another origin, a body that is not JSON, an unknown path
 * (404) and GET /openapi.json.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { sample } from "openapi-sampler";
import { parse as parseYaml } from "yaml";

/** Operations per document, in document order; their paths give the per-path requests. */
export const MAX_OPERATIONS = 40;

/** The Origin of the CORS requests: one the example project allows. */
export const ORIGIN = "http://localhost:8787";
const OTHER_ORIGIN = "https://elsewhere.golden.example";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
/** Tried in this order for the 405 request: the first one a path does not declare. */
const UNDECLARED_CANDIDATES = ["PATCH", "PUT", "DELETE", "POST", "GET"];

export interface GoldenRequest {
  /** What the request is for, e.g. "listPets: valid" or "/pets: HEAD". */
  label: string;
  method: string;
  /** Path and query, starting with "/". */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

type Json = any;

/** An OpenAPI document, possibly spread over several files, with its $refs resolved on demand. */
export class SpecDocument {
  readonly root: Json;
  readonly file: string;
  #files = new Map<string, Json>();

  constructor(file: string) {
    this.file = resolve(file);
    this.root = this.#load(this.file);
  }

  #load(file: string): Json {
    let value = this.#files.get(file);
    if (value === undefined) {
      const text = readFileSync(file, "utf8");
      value = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 });
      this.#files.set(file, value);
    }
    return value;
  }

  /** Follows `node`'s $ref chain (read in `file`); returns the target and the file it lies in. */
  deref(node: Json, file: string = this.file): { node: Json; file: string } {
    for (let hops = 0; hops < 64 && node && typeof node === "object" && typeof node.$ref === "string"; hops++) {
      const [target, fragment = ""] = node.$ref.split("#");
      if (target) file = resolve(dirname(file), decodeURIComponent(target));
      node = pointerGet(this.#load(file), fragment);
    }
    return { node, file };
  }

  /**
   * `value` with every $ref replaced by its target, cycles cut to {} and the
   * whole kept under `budget` nodes (a body example or schema, not a document).
   */
  inline(value: Json, file: string = this.file, budget = { left: 4000 }, stack: string[] = []): Json {
    if (budget.left-- <= 0 || value === null || typeof value !== "object") return value;
    if (typeof value.$ref === "string") {
      const key = `${file}#${value.$ref}`;
      if (stack.includes(key) || stack.length > 16) return {};
      const target = this.deref(value, file);
      return this.inline(target.node, target.file, budget, [...stack, key]);
    }
    if (Array.isArray(value)) return value.map((item) => this.inline(item, file, budget, stack));
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.inline(item, file, budget, stack);
    return out;
  }
}

function pointerGet(root: Json, fragment: string): Json {
  if (fragment === "" || fragment === "/") return root;
  let node = root;
  for (const raw of fragment.replace(/^\//, "").split("/")) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    node = node?.[key];
  }
  return node;
}

/** The path part of servers[0].url, variables filled with their defaults, without a trailing "/". */
export function basePath(document: Json): string {
  const first = Array.isArray(document.servers) ? document.servers[0] : undefined;
  if (!first || typeof first.url !== "string") return "";
  const url = first.url.replace(/\{([^}]+)\}/g, (_: string, name: string) => String(first.variables?.[name]?.default ?? ""));
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? new URL(url).pathname : url.split(/[?#]/)[0];
  return path.replace(/\/+$/, "");
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  value: string;
  schema: Json;
}

interface Operation {
  path: string;
  method: string;
  id: string;
  parameters: Parameter[];
  body?: { contentType: string; text: string; schemaType?: string };
  security: Array<Record<string, string[]>>;
}

/** A value from a parameter's examples or schema, as text; "1" when neither gives one. */
function parameterValue(spec: SpecDocument, param: Json, file: string): string {
  const schema = spec.inline(param.schema ?? Object.values<Json>(param.content ?? {})[0]?.schema ?? {}, file);
  const firstExample = param.examples && typeof param.examples === "object" ? Object.values<Json>(param.examples)[0] : undefined;
  const candidates = [
    param.example,
    firstExample === undefined ? undefined : spec.deref(firstExample, file).node?.value,
    schema.example,
    Array.isArray(schema.examples) ? schema.examples[0] : undefined,
    schema.const,
    Array.isArray(schema.enum) ? schema.enum[0] : undefined,
    schema.default,
  ];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === null) continue;
    if (typeof candidate === "string" || typeof candidate === "number" || typeof candidate === "boolean") return String(candidate);
    if (Array.isArray(candidate) && candidate.every((item) => typeof item !== "object")) return candidate.join(",");
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
  if (type === "boolean") return "true";
  if (type === "string" && schema.format === "uuid") return "00000000-0000-4000-8000-000000000001";
  if (type === "string" && schema.format === "date") return "2026-01-01";
  if (type === "string" && schema.format === "date-time") return "2026-01-01T00:00:00Z";
  return "1";
}

const isJson = (contentType: string) => /^application\/(.+\+)?json$/i.test(contentType.split(";")[0].trim());

/** The body of the valid request: the first JSON media type (else the first one), from its example or schema. */
function requestBody(spec: SpecDocument, raw: Json, file: string): Operation["body"] {
  const { node: body, file: at } = spec.deref(raw, file);
  const content = body?.content;
  if (!content || typeof content !== "object") return undefined;
  const types = Object.keys(content);
  const contentType = types.find(isJson) ?? types[0];
  if (!contentType) return undefined;
  const media = spec.deref(content[contentType], at);
  const schema = spec.inline(media.node?.schema ?? {}, media.file);
  const firstExample = media.node?.examples && typeof media.node.examples === "object" ? Object.values<Json>(media.node.examples)[0] : undefined;
  let value: Json =
    media.node?.example !== undefined
      ? spec.inline(media.node.example, media.file)
      : firstExample === undefined
        ? undefined
        : spec.inline(spec.deref(firstExample, media.file).node?.value, media.file);
  if (value === undefined) value = schema.example;
  if (value === undefined) {
    try {
      value = sample(schema, { skipReadOnly: true, quiet: true } as any);
    } catch {
      value = {};
    }
  }
  const schemaType = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
  const mediaType = contentType.split(";")[0].trim().toLowerCase();
  if (isJson(mediaType) || mediaType === "*/*")
    return { contentType: mediaType === "*/*" ? "application/json" : contentType, text: JSON.stringify(value ?? {}), schemaType };
  if (mediaType === "application/x-www-form-urlencoded") {
    const fields =
      value && typeof value === "object"
        ? Object.entries(value)
            .filter(([, v]) => typeof v !== "object")
            .map(([k, v]) => [k, String(v)])
        : [];
    return { contentType, text: new URLSearchParams(fields as string[][]).toString() };
  }
  if (mediaType.startsWith("multipart/")) return { contentType: `${mediaType}; boundary=golden`, text: "--golden--\r\n" };
  return { contentType, text: typeof value === "string" ? value : "" };
}

/** The first MAX_OPERATIONS operations of the document, in document order. */
function operationsOf(spec: SpecDocument): Operation[] {
  const document = spec.root;
  const operations: Operation[] = [];
  for (const path of Object.keys(document.paths ?? {})) {
    const item = spec.deref(document.paths[path]);
    if (!item.node || typeof item.node !== "object") continue;
    const shared: Json[] = Array.isArray(item.node.parameters) ? item.node.parameters : [];
    for (const method of Object.keys(item.node).filter((key) => (METHODS as readonly string[]).includes(key))) {
      if (operations.length >= MAX_OPERATIONS) return operations;
      const operation = spec.deref(item.node[method], item.file);
      const own: Json[] = Array.isArray(operation.node?.parameters) ? operation.node.parameters : [];
      const byKey = new Map<string, Parameter>();
      for (const [list, at] of [
        [shared, item.file],
        [own, operation.file],
      ] as const) {
        for (const raw of list) {
          const { node: param, file } = spec.deref(raw, at);
          if (!param || typeof param.name !== "string") continue;
          byKey.set(`${param.in}:${param.name}`, {
            name: param.name,
            in: param.in,
            required: param.in === "path" || param.required === true,
            value: parameterValue(spec, param, file),
            schema: spec.inline(param.schema ?? {}, file),
          });
        }
      }
      operations.push({
        path,
        method: method.toUpperCase(),
        id: typeof operation.node?.operationId === "string" ? operation.node.operationId : `${method.toUpperCase()} ${path}`,
        parameters: [...byKey.values()],
        body: operation.node?.requestBody ? requestBody(spec, operation.node.requestBody, operation.file) : undefined,
        security: operation.node?.security ?? document.security ?? [],
      });
    }
  }
  return operations;
}

/** Header names OpenAPI says a header parameter cannot describe. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

function buildRequest(
  base: string,
  op: Operation,
  options: { skip?: Parameter; pathOverride?: Parameter; withBody?: string } = {},
): Omit<GoldenRequest, "label"> {
  let path = op.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const param of op.parameters) {
    const value = param === options.pathOverride ? "not-a-number" : param.value;
    if (param.in === "path") path = path.replaceAll(`{${param.name}}`, encodeURIComponent(value));
    if (!param.required || param === options.skip) continue;
    if (param.in === "query") query.append(param.name, value);
    if (param.in === "header" && !IGNORED_HEADERS.has(param.name.toLowerCase())) headers[param.name.toLowerCase()] = value;
    if (param.in === "cookie") cookies.push(`${param.name}=${encodeURIComponent(value)}`);
  }
  // A template parameter the operation does not declare still needs a value to route.
  path = path.replace(/\{[^{}]+\}/g, "1");
  if (cookies.length > 0) headers.cookie = cookies.join("; ");
  const search = query.toString();
  const request: Omit<GoldenRequest, "label"> = { method: op.method, url: `${base}${path}${search ? `?${search}` : ""}`, headers };
  const body = options.withBody ?? op.body?.text;
  if (op.body && body !== undefined && op.method !== "GET" && op.method !== "HEAD") {
    headers["content-type"] = op.body.contentType;
    request.body = body;
  }
  return request;
}

/** Credentials that no gateway accepts, for each scheme of the operation's first requirement. */
function wrongCredentials(spec: SpecDocument, requirement: Record<string, string[]>): Credentials | undefined {
  const headers: Record<string, string> = {};
  const query = new URLSearchParams();
  const schemes = spec.root.components?.securitySchemes ?? {};
  for (const name of Object.keys(requirement)) {
    const scheme = spec.deref(schemes[name]).node;
    if (!scheme) continue;
    if (scheme.type === "apiKey" && scheme.in === "header") headers[String(scheme.name).toLowerCase()] = "golden-wrong-key";
    else if (scheme.type === "apiKey" && scheme.in === "query") query.append(scheme.name, "golden-wrong-key");
    else if (scheme.type === "apiKey" && scheme.in === "cookie") headers.cookie = `${scheme.name}=golden-wrong-key`;
    else if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "basic")
      headers.authorization = `Basic ${Buffer.from("golden:wrong-password").toString("base64")}`;
    else if (scheme.type === "http" || scheme.type === "oauth2" || scheme.type === "openIdConnect") headers.authorization = "Bearer golden.wrong.token";
  }
  return Object.keys(headers).length > 0 || query.size > 0 ? { headers, query: query.toString() } : undefined;
}

function wrongBody(op: Operation): string | undefined {
  if (!op.body || !isJson(op.body.contentType)) return undefined;
  return op.body.schemaType === "array" ? JSON.stringify({ golden: "not an array" }) : JSON.stringify(["golden", "not an object"]);
}

/** An API key of a consumer in the gateway's CONSUMERS namespace (`portico keys create`). */
export interface Consumer {
  id: string;
  key: string;
}

type Credentials = { headers: Record<string, string>; query: string };

const withCredentials = (request: Omit<GoldenRequest, "label">, credentials: Credentials | undefined): Omit<GoldenRequest, "label"> => {
  if (!credentials) return request;
  const url = credentials.query ? `${request.url}${request.url.includes("?") ? "&" : "?"}${credentials.query}` : request.url;
  return { ...request, url, headers: { ...request.headers, ...credentials.headers } };
};

/**
 * The consumer's key, for the first requirement the gateway can check with
 * consumers alone (every scheme of it an API key or HTTP basic); undefined
 * when none is (bearer tokens, OAuth 2: no keys configured for a document).
 */
function consumerCredentials(spec: SpecDocument, security: Array<Record<string, string[]>>, consumer: Consumer | undefined): Credentials | undefined {
  if (!consumer) return undefined;
  const schemes = spec.root.components?.securitySchemes ?? {};
  for (const requirement of security) {
    const names = Object.keys(requirement);
    if (names.length === 0) return undefined;
    const headers: Record<string, string> = {};
    const query = new URLSearchParams();
    const usable = names.every((name) => {
      const scheme = spec.deref(schemes[name]).node;
      if (scheme?.type === "apiKey" && scheme.in === "header") headers[String(scheme.name).toLowerCase()] = consumer.key;
      else if (scheme?.type === "apiKey" && scheme.in === "query") query.append(scheme.name, consumer.key);
      else if (scheme?.type === "apiKey" && scheme.in === "cookie") headers.cookie = `${scheme.name}=${consumer.key}`;
      else if (scheme?.type === "http" && String(scheme.scheme).toLowerCase() === "basic")
        headers.authorization = `Basic ${Buffer.from(`${consumer.id}:${consumer.key}`).toString("base64")}`;
      else return false;
      return true;
    });
    if (usable) return { headers, query: query.toString() };
  }
  return undefined;
}

/**
 * The request set of one document, in the order it is sent. With a
 * `consumer`, operations whose security it can satisfy are asked with its key
 * (and once more without).
 */
export function requestsFor(spec: SpecDocument, { consumer }: { consumer?: Consumer } = {}): GoldenRequest[] {
  const base = basePath(spec.root);
  const operations = operationsOf(spec);
  const requests: GoldenRequest[] = [];
  const add = (label: string, request: Omit<GoldenRequest, "label">) => requests.push({ label, ...request });
  const keyed = (op: Operation) => consumerCredentials(spec, op.security, consumer);
  const signed = (op: Operation) => (keyed(op) ? " (with a consumer's key)" : "");

  for (const op of operations) {
    const credentials = keyed(op);
    const valid = buildRequest(base, op);
    add(`${op.id}: valid${signed(op)}`, withCredentials(valid, credentials));
    const missing = op.parameters.find((p) => p.required && p.in !== "path" && !(p.in === "header" && IGNORED_HEADERS.has(p.name.toLowerCase())));
    const body = wrongBody(op);
    const numericPath = op.parameters.find(
      (p) => p.in === "path" && ["integer", "number"].includes(Array.isArray(p.schema?.type) ? p.schema.type[0] : p.schema?.type),
    );
    if (missing)
      add(
        `${op.id}: without required ${missing.in} parameter ${missing.name}${signed(op)}`,
        withCredentials(buildRequest(base, op, { skip: missing }), credentials),
      );
    else if (body !== undefined) add(`${op.id}: body of the wrong type${signed(op)}`, withCredentials(buildRequest(base, op, { withBody: body }), credentials));
    else if (numericPath)
      add(
        `${op.id}: path parameter ${numericPath.name} not a number${signed(op)}`,
        withCredentials(buildRequest(base, op, { pathOverride: numericPath }), credentials),
      );
    const open = op.security.length === 0 || op.security.some((requirement) => Object.keys(requirement).length === 0);
    if (open) continue;
    if (credentials) add(`${op.id}: without credentials`, valid);
    const wrong = wrongCredentials(spec, op.security[0]);
    if (wrong) add(`${op.id}: wrong credentials`, withCredentials(valid, wrong));
  }

  const paths = [...new Set(operations.map((op) => op.path))];
  for (const path of paths) {
    const declared = operations.filter((op) => op.path === path);
    const first = declared[0];
    const url = buildRequest(base, { ...first, body: undefined }).url.split("?")[0];
    add(`${path}: CORS preflight`, {
      method: "OPTIONS",
      url,
      headers: { origin: ORIGIN, "access-control-request-method": first.method, "access-control-request-headers": "content-type" },
    });
    const get = declared.find((op) => op.method === "GET");
    add(
      `${path}: HEAD${get ? signed(get) : ""}`,
      get ? { ...withCredentials(buildRequest(base, get), keyed(get)), method: "HEAD" } : { method: "HEAD", url, headers: {} },
    );
    const methods = new Set(Object.keys(spec.deref(spec.root.paths[path]).node ?? {}).map((key) => key.toUpperCase()));
    const undeclared = UNDECLARED_CANDIDATES.find((method) => !methods.has(method));
    if (undeclared) add(`${path}: ${undeclared}, not declared`, { method: undeclared, url, headers: {} });
  }

  const firstGet = operations.find((op) => op.method === "GET");
  if (firstGet) {
    const request = withCredentials(buildRequest(base, firstGet), keyed(firstGet));
    add(`${firstGet.id}: simple CORS request${signed(firstGet)}`, { ...request, headers: { ...request.headers, origin: ORIGIN } });
  }
  if (operations[0]) {
    const url = buildRequest(base, { ...operations[0], body: undefined }).url.split("?")[0];
    add(`${operations[0].path}: CORS preflight from another origin`, {
      method: "OPTIONS",
      url,
      headers: { origin: OTHER_ORIGIN, "access-control-request-method": operations[0].method },
    });
  }
  const takesJson = operations.find((op) => op.body && isJson(op.body.contentType) && op.method !== "GET");
  if (takesJson)
    add(
      `${takesJson.id}: body that is not JSON${signed(takesJson)}`,
      withCredentials(buildRequest(base, takesJson, { withBody: "{not json" }), keyed(takesJson)),
    );
  add("unknown path", { method: "GET", url: `${base}/__golden/no-such-route`, headers: {} });
  add("GET /openapi.json", { method: "GET", url: "/openapi.json", headers: {} });
  return requests;
}
