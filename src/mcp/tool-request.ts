/**
 * @module
 * A tool call's arguments as the operation's HTTP request: each argument put
 * back where the build found it (path, query, header, cookie, body), values
 * serialised as OpenAPI's styles say, and the MCP request's credentials and
 * client address carried along, so the gateway sees the caller it would see
 * over HTTP.
 */
import type { McpConfig, McpTool, ToolArgument } from "./options.ts";

/** What the gateway reads of its caller beside credentials: its address (rate limits by ip) and trace context. */
const CARRIED = ["cf-connecting-ip", "traceparent", "tracestate", "user-agent"];

const text = (value: unknown): string =>
  typeof value === "string" ? value : value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);

/** OpenAPI's `simple` style (path and header parameters). */
function simple(value: unknown, explode: boolean | undefined): string {
  if (Array.isArray(value)) return value.map(text).join(",");
  if (value !== null && typeof value === "object") {
    return Object.entries(value)
      .map(([key, item]) => (explode ? `${key}=${text(item)}` : `${key},${text(item)}`))
      .join(",");
  }
  return text(value);
}

/** OpenAPI's `form`, `spaceDelimited`, `pipeDelimited` and `deepObject` styles of the query. */
function addToQuery(query: URLSearchParams, argument: ToolArgument, value: unknown): void {
  const name = argument.name!;
  if (argument.json) return query.append(name, JSON.stringify(value));
  if (Array.isArray(value)) {
    if (argument.explode) for (const item of value) query.append(name, text(item));
    else query.append(name, value.map(text).join(argument.style === "spaceDelimited" ? " " : argument.style === "pipeDelimited" ? "|" : ","));
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (argument.style === "deepObject") query.append(`${name}[${key}]`, text(item));
      else if (argument.explode) query.append(key, text(item));
    }
    if (argument.style !== "deepObject" && !argument.explode) query.append(name, simple(value, false));
    return;
  }
  query.append(name, text(value));
}

/** A body of a media type that is not JSON, from the argument(s) given. */
function formBody(mediaType: string, value: unknown): BodyInit {
  const fields = value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : undefined;
  if (!fields) return text(value);
  if (/^multipart\/form-data$/i.test(mediaType)) {
    const form = new FormData();
    for (const [key, item] of fields) for (const one of Array.isArray(item) ? item : [item]) form.append(key, text(one));
    return form;
  }
  const form = new URLSearchParams();
  for (const [key, item] of fields) for (const one of Array.isArray(item) ? item : [item]) form.append(key, text(one));
  return form;
}

/** The operation's request for a call, or the message telling the model what is wrong with its arguments. */
export function toolRequest(tool: McpTool, args: Record<string, unknown>, mcp: Request, config: McpConfig): Request | string {
  const byName = new Map(tool.arguments.map((argument) => [argument.arg, argument]));
  const unknown = Object.keys(args).filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    const takes = tool.arguments.map((argument) => argument.arg).join(", ") || "none";
    return `Unknown argument${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. The tool ${tool.name} takes: ${takes}.`;
  }
  const missing = tool.arguments.filter((argument) => argument.in === "path" && args[argument.arg] === undefined).map((argument) => argument.arg);
  if (missing.length > 0) return `Missing required argument${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`;

  const from = new URL(mcp.url);
  const headers = new Headers();
  for (const name of [...config.credentials.headers, ...CARRIED]) {
    const value = mcp.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  let path = tool.path;
  const query = new URLSearchParams();
  const cookies: string[] = [];
  let body: unknown = undefined;
  let fields: Record<string, unknown> | undefined = tool.arguments.some((argument) => argument.in === "body" && argument.name) ? {} : undefined;
  for (const argument of tool.arguments) {
    const value = args[argument.arg];
    if (value === undefined) continue;
    const name = argument.name!;
    if (argument.in === "path")
      path = path.replaceAll(`{${name}}`, encodeURIComponent(argument.json ? JSON.stringify(value) : simple(value, argument.explode)));
    else if (argument.in === "query") addToQuery(query, argument, value);
    else if (argument.in === "header") headers.set(name, argument.json ? JSON.stringify(value) : simple(value, argument.explode));
    else if (argument.in === "cookie") cookies.push(`${name}=${encodeURIComponent(argument.json ? JSON.stringify(value) : simple(value, false))}`);
    else if (argument.name) fields![argument.name] = value;
    else body = value;
  }
  // An API key the MCP client put in the server's URL is the API's to read, where the API reads it.
  for (const name of config.credentials.query) for (const value of from.searchParams.getAll(name)) if (!query.has(name)) query.append(name, value);
  const cookie = [mcp.headers.get("cookie"), ...cookies].filter(Boolean).join("; ");
  if (cookie) headers.set("cookie", cookie);
  body ??= fields;
  let init: BodyInit | undefined;
  // Fetch takes no body on GET or HEAD, whatever the document declares.
  if (body !== undefined && tool.mediaType && tool.method !== "GET" && tool.method !== "HEAD") {
    const json = /json/i.test(tool.mediaType);
    init = json ? JSON.stringify(body) : formBody(tool.mediaType, body);
    // FormData sets its own boundary.
    if (!(init instanceof FormData)) headers.set("content-type", tool.mediaType);
  }
  const search = query.toString() ? `?${query}` : "";
  return new Request(new URL(path + search, from.origin), { method: tool.method, headers, body: init });
}
