/**
 * @module
 * One request of an operation, from values for its parameters and body:
 * each parameter serialised in its place, the body in its media type, and
 * the base path of servers[0] before the path.
 */
import { type Json, text } from "./document.ts";
import { formPairs, multipart, type Param, serialise, urlencoded } from "./serialise.ts";
import type { PreparedBody, Synthesized } from "./synthesizer.ts";

export interface RequestInput {
  /** The path as the document keys it. */
  path: string;
  method: string;
  /** The base path of servers[0]. */
  base: string;
  params: Param[];
  body?: PreparedBody;
  /** The parameters to send (those in the map), with their values. */
  values: Map<Param, unknown>;
  /** The body's value; none is sent when undefined. */
  bodyValue: unknown;
  /** The schema at a pointer of the document, for multipart's files. */
  schemaOf: (pointer: string) => Json;
  deref: (value: unknown) => any;
}

export async function requestOf({ path, method, base, params, body, values, bodyValue, schemaOf, deref }: RequestInput): Promise<Synthesized> {
  // A fragment in the path key (Box's "/folders/{id}#add_shared_link") is never sent.
  let url = path.replace(/#.*$/, "");
  const query: string[] = [];
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const param of params) {
    if (!values.has(param)) continue;
    const out = serialise(param, values.get(param));
    if (param.in === "path") url = url.replaceAll(`{${param.name}}`, out.raw!);
    else if (param.in === "query")
      for (const [name, value] of out.pairs!) query.push(`${encodeURIComponent(name)}=${out.raw === "encoded" ? value : encodeURIComponent(value)}`);
    else if (param.in === "header") headers[param.name.toLowerCase()] = out.raw!;
    else cookies.push(`${param.name}=${out.raw!}`);
  }
  if (cookies.length > 0) headers.cookie = cookies.join("; ");
  const request: Synthesized = { method: method.toUpperCase(), url: `${base}${url}${query.length > 0 ? `?${query.join("&")}` : ""}`, headers };
  if (!body || bodyValue === undefined) return request;
  if (body.kind === "multipart") {
    const made = await multipart(bodyValue, schemaOf(body.schemaAt), deref, body.encoding);
    request.body = made.body;
    headers["content-type"] = made.contentType;
    return request;
  }
  if (body.kind === "json") request.body = Buffer.from(JSON.stringify(bodyValue));
  else if (body.kind === "form") request.body = Buffer.from(urlencoded(formPairs(bodyValue, body.encoding), body.encoding));
  else request.body = Buffer.from(text(bodyValue));
  headers["content-type"] = body.contentType;
  return request;
}
