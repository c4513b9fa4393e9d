/**
 * Requests for a compiled gateway, generated from its public document: each
 * operation's parameters serialised in their place and style, bodies in each
 * media type it takes, then the hostile inputs of hostile-inputs.ts mixed in.
 */
import fc from "fast-check";
import { contentTypeLike, extraFormPairs, extraHeaders, extraQuery, JSON_CHANGES, METHODS, oddQuery, PATH_CHANGES, segment } from "./hostile-inputs.ts";
import { derefIn, fuzzValueOf, type Json } from "./schema-values.ts";

export interface FuzzRequest {
  /** The operation the request was made for, or "anywhere". */
  aim: string;
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: Array<[string, string]>;
  body?: string | Uint8Array;
  /** Sent as a stream without Content-Length. */
  streamed: boolean;
}

interface Param {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  style: string;
  explode: boolean;
  schema: unknown;
  json: boolean;
}

interface Operation {
  id: string;
  method: string;
  path: string;
  params: Param[];
  content: Json;
}

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** One parameter's value as its place carries it: query pairs, or the raw text of a path segment, header or cookie. */
function serialise(param: Param, value: unknown): { pairs?: Array<[string, string]>; raw?: string } {
  const enc = param.in === "query" || param.in === "path" ? encodeURIComponent : (s: string) => s;
  const { name, style, explode } = param;
  if (param.json) return param.in === "query" ? { pairs: [[name, enc(JSON.stringify(value))]] } : { raw: enc(JSON.stringify(value)) };
  const list = Array.isArray(value) ? value.map((item) => enc(text(item))) : undefined;
  const members = value && typeof value === "object" && !list ? Object.entries(value).map(([k, v]) => [enc(k), enc(text(v))]) : undefined;
  if (param.in === "query") {
    if (style === "deepObject" && members) return { pairs: members.map(([k, v]) => [`${name}%5B${k}%5D`, v]) };
    const delimiter = style === "pipeDelimited" ? "|" : style === "spaceDelimited" ? "%20" : ",";
    if (list) return { pairs: explode && style === "form" ? list.map((item) => [name, item]) : [[name, list.join(delimiter)]] };
    if (members) return { pairs: explode ? members.map(([k, v]) => [k, v]) : [[name, members.flat().join(",")]] };
    return { pairs: [[name, enc(text(value))]] };
  }
  if (style === "matrix") {
    if (list) return { raw: explode ? list.map((item) => `;${name}=${item}`).join("") : `;${name}=${list.join(",")}` };
    if (members) return { raw: explode ? members.map(([k, v]) => `;${k}=${v}`).join("") : `;${name}=${members.flat().join(",")}` };
    return { raw: `;${name}=${enc(text(value))}` };
  }
  const prefix = style === "label" ? "." : "";
  const separator = style === "label" && explode ? "." : ",";
  if (list) return { raw: prefix + list.join(separator) };
  if (members) return { raw: prefix + (explode ? members.map(([k, v]) => `${k}=${v}`) : members.flat()).join(separator) };
  return { raw: prefix + enc(text(value)) };
}

/** Every operation of the document, its path-level parameters merged in. */
export function operationsOf(document: Json): { operations: Operation[]; deref: (v: unknown) => any } {
  const deref = derefIn(document);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of ["get", "put", "post", "delete", "patch", "head", "options"]) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: unknown): Param => {
        const raw = deref(p);
        const style = raw.style ?? (raw.in === "query" || raw.in === "cookie" ? "form" : "simple");
        const content = raw.content ? Object.values<Json>(raw.content)[0] : undefined;
        return {
          name: raw.name,
          in: raw.in,
          required: raw.required === true,
          style,
          explode: raw.explode ?? style === "form",
          schema: content?.schema ?? raw.schema,
          json: !!content,
        };
      });
      operations.push({ id: op.operationId ?? `${method} ${path}`, method: method.toUpperCase(), path, params, content: deref(op.requestBody)?.content ?? {} });
    }
  }
  return { operations, deref };
}

function formBody(value: unknown, encoding: Json, extras: Array<[string, string]>): string {
  const pairs: Array<[string, string]> = [];
  const brackets = (prefix: string, item: unknown): void => {
    if (Array.isArray(item)) item.forEach((entry, i) => brackets(`${prefix}[${i}]`, entry));
    else if (item && typeof item === "object") for (const [key, entry] of Object.entries(item)) brackets(`${prefix}[${key}]`, entry);
    else pairs.push([encodeURIComponent(prefix), encodeURIComponent(text(item))]);
  };
  for (const [name, item] of Object.entries(value && typeof value === "object" ? value : { value })) {
    const style = encoding?.[name]?.style;
    if (Array.isArray(item) && (style === "pipeDelimited" || style === "spaceDelimited")) {
      pairs.push([name, item.map((entry) => encodeURIComponent(text(entry))).join(style === "pipeDelimited" ? "|" : "%20")]);
    } else brackets(name, item);
  }
  return [...pairs, ...extras].map(([name, item]) => `${name}=${item}`).join("&");
}

/** A multipart body by hand, so that it can also be broken: a missing end, a part without a name. */
function multipartBody(value: unknown, broken: number): { body: string; contentType: string } {
  const boundary = "fuzz-boundary-7MA4YWxkTrZu0gW";
  const parts = Object.entries(value && typeof value === "object" ? value : { value }).map(([name, item]) => {
    const file = name === "file" ? `; filename="f.png"\r\nContent-Type: ${broken === 3 ? "text/html" : "image/png"}` : "";
    return `--${boundary}\r\nContent-Disposition: form-data; name="${broken === 2 ? "" : name}"${file}\r\n\r\n${text(item)}\r\n`;
  });
  const end = broken === 1 ? "" : `--${boundary}--\r\n`;
  return { body: parts.join("") + end, contentType: broken === 4 ? "multipart/form-data" : `multipart/form-data; boundary=${boundary}` };
}

type Body = { contentType?: string; body?: string | Uint8Array };

function bodyOf(op: Operation, deref: (v: unknown) => any): fc.Arbitrary<Body> {
  const garbage: fc.Arbitrary<Body> = fc.record({
    contentType: fc.option(contentTypeLike("application/octet-stream"), { nil: undefined }),
    body: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 200 }), fc.constant("a".repeat(70_000))),
  });
  const kinds = Object.entries<Json>(op.content).map(([type, media]): fc.Arbitrary<Body> => {
    const value = fuzzValueOf(media.schema, deref);
    const base = type.toLowerCase();
    if (base.includes("json")) {
      const change = fc.oneof({ weight: 3, arbitrary: fc.constant(JSON_CHANGES.length) }, { weight: 2, arbitrary: fc.nat(JSON_CHANGES.length - 1) });
      return fc
        .tuple(value, change, contentTypeLike(type))
        .map(([v, c, contentType]) => ({ contentType, body: c < JSON_CHANGES.length ? JSON_CHANGES[c][1](JSON.stringify(v)) : JSON.stringify(v) }));
    }
    if (base === "application/x-www-form-urlencoded") {
      return fc
        .tuple(value, extraFormPairs, contentTypeLike(type))
        .map(([v, extras, contentType]) => ({ contentType, body: formBody(v, media.encoding, extras) }));
    }
    if (base === "multipart/form-data") return fc.tuple(value, fc.nat(8)).map(([v, broken]) => multipartBody(v, broken));
    if (base.startsWith("text/"))
      return fc.tuple(fc.string({ unit: "grapheme", maxLength: 120 }), contentTypeLike(type)).map(([body, contentType]) => ({ contentType, body }));
    return fc.tuple(fc.uint8Array({ maxLength: 400 }), contentTypeLike(type)).map(([body, contentType]) => ({ contentType, body }));
  });
  if (kinds.length === 0) return fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: garbage });
  return fc.oneof({ weight: 6, arbitrary: fc.oneof(...kinds) }, { weight: 1, arbitrary: garbage }, { weight: 1, arbitrary: fc.constant({}) });
}

function paramsOf(op: Operation, deref: (v: unknown) => any) {
  return fc.tuple(
    ...op.params.map((param) =>
      fc.record({
        sent: param.required ? fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) : fc.boolean(),
        value: fuzzValueOf(param.schema, deref),
        hostile: fc.option(segment, { freq: 6, nil: undefined }),
      }),
    ),
  );
}

function requestOf(op: Operation, deref: (v: unknown) => any): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.oneof({ weight: 8, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      params: paramsOf(op, deref),
      change: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(PATH_CHANGES.length - 1) }),
      extraQuery,
      oddQuery: fc.option(oddQuery, { freq: 12, nil: undefined }),
      extraHeaders,
      body: bodyOf(op, deref),
      streamed: fc.boolean(),
      twice: fc.option(fc.tuple(fc.nat(), fc.constantFrom("", "other", "1")), { freq: 6, nil: undefined }),
    })
    .map(({ method, params, change, twice, ...rest }) => {
      let path = op.path;
      const query: string[] = [];
      const headers: Array<[string, string]> = [];
      const cookies: string[] = [];
      op.params.forEach((param, i) => {
        const { sent, value, hostile } = params[i];
        if (!sent && param.in !== "path") return;
        const out = serialise(param, value);
        if (param.in === "path") path = path.replace(`{${param.name}}`, hostile ?? out.raw ?? "");
        else if (param.in === "query") query.push(...out.pairs!.map(([n, v]) => `${n}=${hostile ?? v}`));
        else if (param.in === "header") headers.push([param.name, out.raw!.replace(/[\r\n\0]/g, "")]);
        else cookies.push(`${param.name}=${out.raw}`);
      });
      if (cookies.length > 0) headers.push(["cookie", cookies.join("; ")]);
      query.push(...rest.extraQuery.map(([n, v]) => `${n}=${v}`));
      if (rest.body.contentType !== undefined) headers.push(["content-type", rest.body.contentType]);
      headers.push(...rest.extraHeaders);
      // One header sent twice, with the same value or another.
      if (twice && headers.length > 0) {
        const [name, value] = headers[twice[0] % headers.length];
        headers.push([name, twice[1] === "" ? value : twice[1]]);
      }
      const search = rest.oddQuery ?? (query.length > 0 ? `?${query.join("&")}` : "");
      return { aim: op.id, method, url: PATH_CHANGES[change][1](path) + search, headers, body: rest.body.body, streamed: rest.streamed };
    });
}

/** A request for no operation in particular: a random path, method, headers and body. */
const anywhere: fc.Arbitrary<FuzzRequest> = fc
  .record({
    segments: fc.array(segment, { minLength: 1, maxLength: 4 }),
    method: fc.constantFrom(...METHODS),
    headers: extraHeaders,
    body: fc.option(fc.string({ unit: "binary", maxLength: 100 }), { nil: undefined }),
    streamed: fc.boolean(),
  })
  .map(({ segments, ...rest }) => ({ aim: "anywhere", url: `/${segments.join("/")}`, ...rest }));

/** Requests of every operation of the document (each as often as `weightOf` its id says, 4 by default), and some for none. */
export function requestsFor(document: Json, weightOf: (operationId: string) => number = () => 4): fc.Arbitrary<FuzzRequest> {
  const { operations, deref } = operationsOf(document);
  return fc.oneof(
    { weight: 12, arbitrary: fc.oneof(...operations.map((op) => ({ weight: weightOf(op.id), arbitrary: requestOf(op, deref) }))) },
    { weight: 1, arbitrary: anywhere },
  );
}
