/**
 * @module
 * Requests made from an OpenAPI document alone, for the self-consistency
 * check: for each operation, one request the document says is valid, and the
 * same request with one constraint broken, with where the gateway's 400 must
 * point.
 *
 * Values come from the operation's own examples where they meet their schema,
 * else from the mock's generator (src/handlers/mock/build-generate.ts) in the
 * request direction (writeOnly in, readOnly out), checked with the validators
 * the gateway compiles. They are serialised as the document says: parameter
 * style and explode in path, query, header and cookie; JSON, form-urlencoded
 * (Encoding Object styles, brackets where it says nothing) and multipart
 * bodies. Every broken request is checked locally to break its schema before
 * it is sent.
 */
import { generateValue } from "../../src/handlers/mock/build-generate.ts";
import { isJsonMediaType } from "../../src/handlers/mock/options.ts";
import { forDirection } from "../../src/compiler/validators/read-write-only.ts";
import { createDeref } from "../../src/compiler/spec/refs.ts";
import { createValidatorSet, type SchemaViolation } from "../../src/compiler/validators/validators.ts";
import { basePath } from "../golden/requests.ts";

type Json = any;
type Check = (value: unknown) => SchemaViolation[];

export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
/** Headers OpenAPI ignores as parameters. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

export interface Synthesized {
  method: string;
  /** Path and query. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Where a refusal must point: a parameter by its name, a body by a JSON pointer. */
export interface Expected {
  in: "path" | "query" | "header" | "cookie" | "body";
  name?: string;
  pointer?: string;
}

export interface OperationCase {
  /** "GET /pets/{id}" */
  operation: string;
  valid: Synthesized;
  /** The valid request with one constraint broken; absent when the operation has none to break. */
  broken?: { what: string; request: Synthesized; expected: Expected };
  /** Examples of the operation that break their own schema, replaced by generated values. */
  examplesReplaced: string[];
  /** Why nothing could be sent, when nothing is. */
  unsent?: string;
}

const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");
const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === "object" && !Array.isArray(value);

function pointerGet(root: Json, pointer: string): Json {
  if (pointer === "") return root;
  return pointer
    .slice(1)
    .split("/")
    .reduce((node, raw) => node?.[raw.replaceAll("~1", "/").replaceAll("~0", "~")], root);
}

/** The object behind `value`'s $refs, and the pointer where it stands. */
function follow(document: Json, value: Json, pointer: string): { node: Json; pointer: string } {
  for (let hops = 0; hops < 32 && isObject(value) && typeof value.$ref === "string" && value.$ref.startsWith("#"); hops++) {
    pointer = decodeURIComponent(value.$ref.slice(1));
    value = pointerGet(document, pointer);
  }
  return { node: value, pointer };
}

/** Every operation of the document in document order: path, method and pointer. */
export function operationsOf(document: Json): Array<{ path: string; method: string; pointer: string }> {
  const out: Array<{ path: string; method: string; pointer: string }> = [];
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    const { node, pointer } = follow(document, item, `/paths/${escape(path)}`);
    for (const method of METHODS) if (isObject(node?.[method])) out.push({ path, method, pointer: `${pointer}/${method}` });
  }
  return out;
}

/** The document the gateway is built from: these operations only, no security anywhere. */
export function servedDocument(document: Json, keep: Array<{ path: string; method: string }>): Json {
  const copy = structuredClone(document);
  delete copy.security;
  const paths: Json = {};
  for (const { path, method } of keep) {
    const item = (paths[path] ??= Object.fromEntries(
      Object.entries<Json>(follow(copy, copy.paths[path], "").node).filter(([key]) => !METHODS.includes(key as any)),
    ));
    item[method] = { ...follow(copy, copy.paths[path], "").node[method] };
    delete item[method].security;
  }
  // What other paths' $refs point at stays in the document, out of paths.
  const moved = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(moved);
    if (!isObject(node)) return;
    if (typeof node.$ref === "string" && node.$ref.startsWith("#/paths/")) node.$ref = `#/x-unserved-paths/${node.$ref.slice("#/paths/".length)}`;
    Object.values(node).forEach(moved);
  };
  const unserved = structuredClone(document.paths);
  moved(paths);
  moved(copy.components);
  moved(unserved);
  copy["x-unserved-paths"] = unserved;
  copy.paths = paths;
  // The bundled document is upgraded to 3.1 already (type lists for nullable): it says so.
  if (typeof copy.openapi === "string" && copy.openapi.startsWith("3.0")) copy.openapi = "3.1.0";
  return copy;
}

const text = (value: unknown): string => (value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));

interface Param {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  style: string;
  explode: boolean;
  /** The pointer of the schema the value is checked against. */
  schemaAt: string;
  /** content-typed: sent as JSON text. */
  json: boolean;
  value: unknown;
}

/** One parameter as text in its place: [name, value] pairs (query), the path segment, a header's or a cookie's value. */
function serialise(param: Param, value: unknown): { pairs?: Array<[string, string]>; raw?: string } {
  const enc = param.in === "query" || param.in === "path" ? encodeURIComponent : (s: string) => s;
  const { name, style, explode } = param;
  if (param.json) return param.in === "query" ? { pairs: [[name, JSON.stringify(value)]] } : { raw: enc(JSON.stringify(value)) };
  const list = Array.isArray(value) ? value.map(text) : undefined;
  const members = isObject(value) ? Object.entries(value).map(([k, v]): [string, string] => [k, text(v)]) : undefined;
  if (param.in === "query") {
    if (style === "deepObject" && members) return { pairs: members.map(([k, v]) => [`${name}[${k}]`, v]) };
    if (list) {
      if (explode && style === "form") return { pairs: list.map((item) => [name, item]) };
      const delimiter = style === "pipeDelimited" ? "|" : style === "spaceDelimited" ? "%20" : ",";
      return { pairs: [[name, list.map(encodeURIComponent).join(delimiter)]], raw: "encoded" };
    }
    if (members) {
      if (explode) return { pairs: members };
      return { pairs: [[name, members.flat().map(encodeURIComponent).join(",")]], raw: "encoded" };
    }
    return { pairs: [[name, text(value)]] };
  }
  const prefix = param.in === "path" && style === "label" ? "." : param.in === "path" && style === "matrix" ? ";" : "";
  if (style === "matrix") {
    if (list) return { raw: explode ? list.map((item) => `;${name}=${enc(item)}`).join("") : `;${name}=${list.map(enc).join(",")}` };
    if (members) return { raw: explode ? members.map(([k, v]) => `;${k}=${enc(v)}`).join("") : `;${name}=${members.flat().map(enc).join(",")}` };
    return { raw: `;${name}=${enc(text(value))}` };
  }
  const separator = style === "label" && explode ? "." : ",";
  if (list) return { raw: prefix + list.map(enc).join(separator) };
  if (members) return { raw: prefix + (explode ? members.map(([k, v]) => `${enc(k)}=${enc(v)}`) : members.flat().map(enc)).join(separator) };
  return { raw: prefix + enc(text(value)) };
}

/** A form body's fields, per the media type's encoding; brackets where it says nothing. */
function formPairs(value: Json, encoding: Json): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const brackets = (prefix: string, item: unknown) => {
    if (Array.isArray(item)) item.forEach((entry, i) => brackets(`${prefix}[${i}]`, entry));
    else if (isObject(item)) for (const [key, entry] of Object.entries(item)) brackets(`${prefix}[${key}]`, entry);
    else pairs.push([prefix, text(item)]);
  };
  for (const [name, item] of Object.entries<unknown>(isObject(value) ? value : {})) {
    const enc = isObject(encoding?.[name]) ? encoding[name] : {};
    if (item === null || typeof item !== "object") pairs.push([name, text(item)]);
    else if (typeof enc.contentType === "string" && isJsonMediaType(enc.contentType.split(",")[0].trim()) && enc.style === undefined)
      pairs.push([name, JSON.stringify(item)]);
    else if (enc.style === "deepObject" || (enc.style === undefined && enc.explode === undefined)) brackets(name, item);
    else {
      const style = enc.style ?? "form";
      const explode = typeof enc.explode === "boolean" ? enc.explode : style === "form";
      const list = Array.isArray(item) ? item.map(text) : Object.entries(item as Json).flatMap(([k, v]) => [k, text(v)]);
      if (explode && Array.isArray(item)) list.forEach((entry) => pairs.push([name, entry]));
      else if (explode) for (const [k, v] of Object.entries(item as Json)) pairs.push([k, text(v)]);
      else pairs.push([name, list.join(style === "pipeDelimited" ? "|" : style === "spaceDelimited" ? " " : ",")]);
    }
  }
  return pairs;
}

/** Form pairs as a body: delimiters of unexploded lists stay as they are, everything else is percent-encoded. */
function urlencoded(pairs: Array<[string, string]>, encoding: Json): string {
  return pairs
    .map(([name, value]) => {
      const enc = isObject(encoding?.[name]) ? encoding[name] : {};
      const delimited = enc.style !== undefined && enc.style !== "deepObject" && enc.explode !== true;
      const encodedValue = delimited
        ? value
            .split(/([,| ])/)
            .map((part) => (/^[,| ]$/.test(part) ? part : encodeURIComponent(part)))
            .join("")
        : encodeURIComponent(value);
      return `${encodeURIComponent(name)}=${encodedValue}`;
    })
    .join("&");
}

async function multipart(value: Json, schema: Json, deref: (v: unknown) => any, encoding: Json): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  const properties = isObject(schema?.properties) ? schema.properties : {};
  const isFile = (property: Json) => {
    const s = deref(property) ?? {};
    const item = s.type === "array" ? (deref(s.items) ?? {}) : s;
    return item.format === "binary" || item.format === "byte" || item.contentMediaType !== undefined || item.contentEncoding !== undefined;
  };
  for (const [name, item] of Object.entries<unknown>(isObject(value) ? value : {})) {
    const enc = isObject(encoding?.[name]) ? encoding[name] : {};
    const type = typeof enc.contentType === "string" ? enc.contentType.split(",")[0].trim() : "application/octet-stream";
    if (isFile(properties[name])) {
      for (const entry of Array.isArray(item) ? item : [item])
        form.append(name, new Blob([text(entry)], { type: type.includes("*") ? "application/octet-stream" : type }), `${name}.bin`);
    } else if (Array.isArray(item) && !(typeof enc.contentType === "string" && isJsonMediaType(type))) {
      for (const entry of item) form.append(name, text(entry));
    } else form.append(name, text(item));
  }
  const request = new Request("http://localhost/", { method: "POST", body: form });
  return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get("content-type")! };
}

/** The first media type a request can be synthesised for: JSON, then form, then multipart, then text. */
function pickMediaType(content: Json): string | undefined {
  const types = Object.keys(isObject(content) ? content : {});
  const base = (t: string) => t.split(";")[0].trim().toLowerCase();
  return (
    types.find((t) => isJsonMediaType(base(t)) && !t.includes("*")) ??
    types.find((t) => base(t) === "application/x-www-form-urlencoded") ??
    types.find((t) => base(t) === "multipart/form-data") ??
    types.find((t) => base(t).startsWith("text/") && !t.includes("*"))
  );
}

/** Builds the cases of one document; `document` is the bundled one, before security is stripped. */
export class Synthesizer {
  readonly document: Json;
  readonly #request: Json;
  readonly #deref: (value: unknown) => any;
  readonly #validators;
  readonly #checks = new Map<string, Check | undefined>();
  readonly base: string;

  constructor(document: Json) {
    this.document = document;
    this.#request = forDirection(document, "request");
    this.#deref = createDeref(this.#request);
    this.#validators = createValidatorSet(this.#request);
    this.base = basePath(document);
  }

  #check(pointer: string): Check | undefined {
    if (!this.#checks.has(pointer)) {
      try {
        this.#checks.set(pointer, this.#validators.check(pointer));
      } catch {
        this.#checks.set(pointer, undefined);
      }
    }
    return this.#checks.get(pointer);
  }

  /** The operation's example where it meets the schema, else a generated value; `replaced` is told of an example that breaks it. */
  #value(schemaAt: string, examples: Array<{ value: unknown; at: string }>, replaced: string[]): unknown {
    const check = this.#check(schemaAt) ?? (() => []);
    for (const example of examples) {
      if (check(example.value).length === 0) return example.value;
      replaced.push(example.at);
      break;
    }
    const schema = pointerGet(this.#request, schemaAt);
    return generateValue({ schema, deref: this.#deref, direction: "request", check, seed: schemaAt }).value;
  }

  #examplesOf(holder: Json, at: string): Array<{ value: unknown; at: string }> {
    if (isObject(holder?.examples)) {
      for (const [name, raw] of Object.entries(holder.examples)) {
        const example = this.#deref(raw);
        if (isObject(example) && "value" in example) return [{ value: example.value, at: `${at}/examples/${escape(name)}` }];
      }
    }
    return holder?.example !== undefined ? [{ value: holder.example, at: `${at}/example` }] : [];
  }

  async case(path: string, method: string, pointer: string): Promise<OperationCase> {
    const label = `${method.toUpperCase()} ${path}`;
    const replaced: string[] = [];
    const operation = pointerGet(this.#request, pointer);
    const itemPointer = pointer.slice(0, pointer.lastIndexOf("/"));
    const item = pointerGet(this.#request, itemPointer);

    // Parameters: the path item's, overridden by the operation's of the same name and place.
    const declared = new Map<string, { node: Json; pointer: string }>();
    for (const [list, at] of [
      [item?.parameters, `${itemPointer}/parameters`],
      [operation?.parameters, `${pointer}/parameters`],
    ] as const) {
      (Array.isArray(list) ? list : []).forEach((raw: Json, i: number) => {
        const found = follow(this.#request, raw, `${at}/${i}`);
        if (isObject(found.node)) declared.set(`${found.node.in} ${found.node.name}`, found);
      });
    }
    const params: Param[] = [];
    for (const { node, pointer: at } of declared.values()) {
      if (node.in === "header" && IGNORED_HEADERS.has(String(node.name).toLowerCase())) continue;
      const mediaType = isObject(node.content) ? Object.keys(node.content)[0] : undefined;
      const schemaAt = mediaType !== undefined ? `${at}/content/${escape(mediaType)}/schema` : `${at}/schema`;
      const examples = mediaType !== undefined ? this.#examplesOf(node.content[mediaType], `${at}/content/${escape(mediaType)}`) : this.#examplesOf(node, at);
      const style = node.style ?? (node.in === "query" || node.in === "cookie" ? "form" : "simple");
      params.push({
        name: node.name,
        in: node.in,
        required: node.in === "path" || node.required === true,
        style,
        explode: typeof node.explode === "boolean" ? node.explode : style === "form",
        schemaAt,
        json: mediaType !== undefined,
        value: this.#value(schemaAt, examples, replaced),
      });
    }

    // The body.
    let body: { contentType: string; schemaAt: string; value: unknown; kind: "json" | "form" | "multipart" | "text"; encoding: Json } | undefined;
    const requestBody = follow(this.#request, operation?.requestBody, `${pointer}/requestBody`);
    if (isObject(requestBody.node)) {
      const contentType = pickMediaType(requestBody.node.content);
      if (contentType === undefined) {
        if (requestBody.node.required === true)
          return {
            operation: label,
            valid: { method: "", url: "", headers: {} },
            examplesReplaced: replaced,
            unsent: "no JSON, form, multipart or text media type to send",
          };
      } else {
        const mediaAt = `${requestBody.pointer}/content/${escape(contentType)}`;
        const media = follow(this.#request, requestBody.node.content[contentType], mediaAt);
        const base = contentType.split(";")[0].trim().toLowerCase();
        const kind = isJsonMediaType(base)
          ? "json"
          : base === "application/x-www-form-urlencoded"
            ? "form"
            : base === "multipart/form-data"
              ? "multipart"
              : "text";
        const schemaAt = `${media.pointer}/schema`;
        const hasSchema = media.node?.schema !== undefined;
        const value = hasSchema ? this.#value(schemaAt, this.#examplesOf(media.node, media.pointer), replaced) : kind === "json" ? {} : "";
        body = { contentType: kind === "text" ? base : contentType, schemaAt, value, kind, encoding: media.node?.encoding };
      }
    }

    const build = async (paramValues: Map<Param, unknown>, bodyValue: unknown): Promise<Synthesized> => {
      // A fragment in the path key (Box's "/folders/{id}#add_shared_link") is never sent.
      let url = path.replace(/#.*$/, "");
      const query: string[] = [];
      const headers: Record<string, string> = {};
      const cookies: string[] = [];
      for (const param of params) {
        if (!paramValues.has(param)) continue;
        const out = serialise(param, paramValues.get(param));
        if (param.in === "path") url = url.replaceAll(`{${param.name}}`, out.raw!);
        else if (param.in === "query")
          for (const [name, value] of out.pairs!) query.push(`${encodeURIComponent(name)}=${out.raw === "encoded" ? value : encodeURIComponent(value)}`);
        else if (param.in === "header") headers[param.name.toLowerCase()] = out.raw!;
        else cookies.push(`${param.name}=${out.raw!}`);
      }
      if (cookies.length > 0) headers.cookie = cookies.join("; ");
      const request: Synthesized = { method: method.toUpperCase(), url: `${this.base}${url}${query.length > 0 ? `?${query.join("&")}` : ""}`, headers };
      if (body) {
        if (body.kind === "json") request.body = Buffer.from(JSON.stringify(bodyValue));
        else if (body.kind === "form") request.body = Buffer.from(urlencoded(formPairs(bodyValue, body.encoding), body.encoding));
        else if (body.kind === "text") request.body = Buffer.from(text(bodyValue));
        if (body.kind === "multipart") {
          const made = await multipart(bodyValue, pointerGet(this.#request, body.schemaAt), this.#deref, body.encoding);
          request.body = made.body;
          headers["content-type"] = made.contentType;
        } else headers["content-type"] = body.contentType;
      }
      return request;
    };

    const values = new Map(params.map((param) => [param, param.value]));
    const valid = await build(values, body?.value);
    const broken = await this.#broken(params, values, body, build);
    return { operation: label, valid, broken, examplesReplaced: replaced };
  }

  /** The first constraint the operation has, broken: a required parameter left out, a required body property left out, a wrong type, a value outside an enum. */
  async #broken(
    params: Param[],
    values: Map<Param, unknown>,
    body: { schemaAt: string; value: unknown; kind: string } | undefined,
    build: (values: Map<Param, unknown>, body: unknown) => Promise<Synthesized>,
  ): Promise<OperationCase["broken"]> {
    const without = (param: Param) => new Map([...values].filter(([p]) => p !== param));
    const where = (param: Param): Expected => ({ in: param.in, name: param.in === "header" ? param.name.toLowerCase() : param.name });
    const required = params.find((param) => param.required && param.in !== "path");
    if (required)
      return {
        what: `required ${required.in} parameter "${required.name}" left out`,
        request: await build(without(required), body?.value),
        expected: where(required),
      };

    const bodyCheck = body ? this.#check(body.schemaAt) : undefined;
    if (body && bodyCheck && isObject(body.value) && body.kind !== "text") {
      const schema = this.#deref(pointerGet(this.#request, body.schemaAt));
      const names: string[] = Array.isArray(schema?.required) ? schema.required : [];
      for (const name of names) {
        if (!(name in body.value)) continue;
        const { [name]: _dropped, ...rest } = body.value;
        // An empty form is no body at all, which an optional body allows.
        if (bodyCheck(rest).length === 0 || (body.kind !== "json" && Object.keys(rest).length === 0)) continue;
        return { what: `required body property "${name}" left out`, request: await build(values, rest), expected: { in: "body", pointer: `/${escape(name)}` } };
      }
    }

    // A parameter given a value its schema refuses: text where a number or boolean is asked, then one outside an enum.
    for (const param of params) {
      if (param.json) continue;
      const schema = this.#deref(pointerGet(this.#request, param.schemaAt)) ?? {};
      const types: string[] = Array.isArray(schema.type) ? schema.type : typeof schema.type === "string" ? [schema.type] : [];
      const check = this.#check(param.schemaAt);
      if (!check) continue;
      const scalar = types.length > 0 && types.every((t) => ["integer", "number", "boolean", "null"].includes(t)) && !types.every((t) => t === "null");
      if (scalar && check("not-a-number").length > 0)
        return {
          what: `${param.in} parameter "${param.name}" given text where ${types.join(" or ")} is asked`,
          request: await build(new Map([...values, [param, "not-a-number"]]), body?.value),
          expected: where(param),
        };
      if (Array.isArray(schema.enum) && check("not-in-the-enum").length > 0 && types.every((t) => t === "string"))
        return {
          what: `${param.in} parameter "${param.name}" given a value outside its enum`,
          request: await build(new Map([...values, [param, "not-in-the-enum"]]), body?.value),
          expected: where(param),
        };
    }

    if (body && bodyCheck && body.kind === "json") {
      for (const wrong of [[], "not an object", 12345, {}]) {
        if (bodyCheck(wrong).length === 0) continue;
        const faults = bodyCheck(wrong);
        const pointer = faults[0].keyword === "required" ? `/${escape(String(faults[0].params.missingProperty))}` : faults[0].instancePath;
        return { what: `body given ${JSON.stringify(wrong)}`, request: await build(values, wrong), expected: { in: "body", pointer } };
      }
    }
    return undefined;
  }
}
