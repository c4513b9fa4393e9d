/**
 * @module
 * Valid requests made from an OpenAPI document alone. Values come from the
 * operation's own examples where they meet their schema, else from the mock's
 * generator (src/handlers/mock/build-generate.ts) in the request direction
 * (writeOnly in, readOnly out), checked with the validators the gateway
 * compiles; they are serialised as the document says (serialise.ts).
 *
 * `portico init` writes its test of the user's API from these, and the
 * self-consistency check (test/consistency) sends them, with broken twins, to
 * every document it knows.
 */
import { basePathOf } from "../compiler/plan/paths.ts";
import { createDeref } from "../compiler/spec/refs.ts";
import { forDirection } from "../compiler/validators/read-write-only.ts";
import { createValidatorSet } from "../compiler/validators/validators.ts";
import type { SchemaViolation } from "../compiler/validators/validator-set.ts";
import { generateValue } from "../handlers/mock/build-generate.ts";
import { isJsonMediaType } from "../handlers/mock/options.ts";
import { escape, follow, isObject, type Json, pointerGet } from "./document.ts";
import { requestOf } from "./request.ts";
import { type Param, pickMediaType } from "./serialise.ts";

export type { Param } from "./serialise.ts";
export type Check = (value: unknown) => SchemaViolation[];

/** Headers OpenAPI ignores as parameters. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

export interface Synthesized {
  method: string;
  /** Path and query, the base path of servers[0] included. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface PreparedBody {
  contentType: string;
  schemaAt: string;
  value: unknown;
  kind: "json" | "form" | "multipart" | "text";
  encoding: Json;
  required: boolean;
}

/** One operation's parameters and body, each with a valid value, and how to make a request of any values. */
export interface PreparedOperation {
  /** "GET /pets/{id}" */
  label: string;
  params: Param[];
  body?: PreparedBody;
  /** Examples of the operation that break their own schema, replaced by generated values. */
  replaced: string[];
  /** Why no request can be made, when none can. */
  unsent?: string;
  /** The request carrying these parameters (those in the map) and this body (none when undefined). */
  build(values: Map<Param, unknown>, bodyValue: unknown): Promise<Synthesized>;
}

/** Builds the requests of one document; `document` is the bundled one, read with 3.1 semantics. */
export class Synthesizer {
  readonly document: Json;
  /** The document as requests see it: readOnly properties not required. */
  readonly request: Json;
  readonly deref: (value: unknown) => any;
  readonly base: string;
  readonly #validators;
  readonly #checks = new Map<string, Check | undefined>();

  constructor(document: Json) {
    this.document = document;
    this.request = forDirection(document, "request");
    this.deref = createDeref(this.request);
    this.#validators = createValidatorSet(this.request);
    this.base = basePathOf(document.servers);
  }

  /** The request-direction check of the schema at a pointer; undefined when it does not compile. */
  check(pointer: string): Check | undefined {
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
    const check = this.check(schemaAt) ?? (() => []);
    for (const example of examples) {
      if (check(example.value).length === 0) return example.value;
      replaced.push(example.at);
      break;
    }
    const schema = pointerGet(this.request, schemaAt);
    return generateValue({ schema, deref: this.deref, direction: "request", check, seed: schemaAt }).value;
  }

  #examplesOf(holder: Json, at: string): Array<{ value: unknown; at: string }> {
    if (isObject(holder?.examples)) {
      for (const [name, raw] of Object.entries(holder.examples)) {
        const example = this.deref(raw);
        if (isObject(example) && "value" in example) return [{ value: example.value, at: `${at}/examples/${escape(name)}` }];
      }
    }
    return holder?.example !== undefined ? [{ value: holder.example, at: `${at}/example` }] : [];
  }

  /** Parameters: the path item's, overridden by the operation's of the same name and place. */
  #params(operation: Json, pointer: string, replaced: string[]): Param[] {
    const itemPointer = pointer.slice(0, pointer.lastIndexOf("/"));
    const item = pointerGet(this.request, itemPointer);
    const declared = new Map<string, { node: Json; pointer: string }>();
    for (const [list, at] of [
      [item?.parameters, `${itemPointer}/parameters`],
      [operation?.parameters, `${pointer}/parameters`],
    ] as const) {
      (Array.isArray(list) ? list : []).forEach((raw: Json, i: number) => {
        const found = follow(this.request, raw, `${at}/${i}`);
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
    return params;
  }

  /** The body, in the first media type a request can be made in; `unsent` when a required body has none. */
  #body(operation: Json, pointer: string, replaced: string[]): { body?: PreparedBody; unsent?: string } {
    const requestBody = follow(this.request, operation?.requestBody, `${pointer}/requestBody`);
    if (!isObject(requestBody.node)) return {};
    const required = requestBody.node.required === true;
    const contentType = pickMediaType(requestBody.node.content);
    if (contentType === undefined) return required ? { unsent: "no JSON, form, multipart or text media type to send" } : {};
    const mediaAt = `${requestBody.pointer}/content/${escape(contentType)}`;
    const media = follow(this.request, requestBody.node.content[contentType], mediaAt);
    const base = contentType.split(";")[0].trim().toLowerCase();
    const kind = isJsonMediaType(base) ? "json" : base === "application/x-www-form-urlencoded" ? "form" : base === "multipart/form-data" ? "multipart" : "text";
    const schemaAt = `${media.pointer}/schema`;
    const value = media.node?.schema !== undefined ? this.#value(schemaAt, this.#examplesOf(media.node, media.pointer), replaced) : kind === "json" ? {} : "";
    return { body: { contentType: kind === "text" ? base : contentType, schemaAt, value, kind, encoding: media.node?.encoding, required } };
  }

  prepare(path: string, method: string, pointer: string): PreparedOperation {
    const replaced: string[] = [];
    const operation = pointerGet(this.request, pointer);
    const params = this.#params(operation, pointer, replaced);
    const { body, unsent } = this.#body(operation, pointer, replaced);
    const build = (values: Map<Param, unknown>, bodyValue: unknown) =>
      requestOf({ path, method, base: this.base, params, body, values, bodyValue, schemaOf: (at) => pointerGet(this.request, at), deref: this.deref });
    return { label: `${method.toUpperCase()} ${path}`, params, body, replaced, unsent, build };
  }

  /** A valid request of the operation: with every parameter and the body, or with `requiredOnly` only what it requires. */
  valid(prepared: PreparedOperation, { requiredOnly = false } = {}): Promise<Synthesized> {
    const sent = prepared.params.filter((param) => param.required || !requiredOnly);
    const body = prepared.body && (prepared.body.required || !requiredOnly) ? prepared.body.value : undefined;
    return prepared.build(new Map(sent.map((param) => [param, param.value])), body);
  }
}
