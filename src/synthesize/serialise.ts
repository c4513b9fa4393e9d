/**
 * @module
 * Values as a request carries them, the way the document says: parameter
 * style and explode in path, query, header and cookie; form-urlencoded bodies
 * (Encoding Object styles, brackets where it says nothing) and multipart ones.
 */
import { isJsonMediaType } from "../handlers/mock/options.ts";
import { isObject, type Json, text } from "./document.ts";

export interface Param {
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
export function serialise(param: Param, value: unknown): { pairs?: Array<[string, string]>; raw?: string } {
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
export function formPairs(value: Json, encoding: Json): Array<[string, string]> {
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
export function urlencoded(pairs: Array<[string, string]>, encoding: Json): string {
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

export async function multipart(value: Json, schema: Json, deref: (v: unknown) => any, encoding: Json): Promise<{ body: Buffer; contentType: string }> {
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
export function pickMediaType(content: Json): string | undefined {
  const types = Object.keys(isObject(content) ? content : {});
  const base = (t: string) => t.split(";")[0].trim().toLowerCase();
  return (
    types.find((t) => isJsonMediaType(base(t)) && !t.includes("*")) ??
    types.find((t) => base(t) === "application/x-www-form-urlencoded") ??
    types.find((t) => base(t) === "multipart/form-data") ??
    types.find((t) => base(t).startsWith("text/") && !t.includes("*"))
  );
}
