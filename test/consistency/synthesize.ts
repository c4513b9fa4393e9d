/**
 * @module
 * Requests made from an OpenAPI document alone, for the self-consistency
 * check: for each operation, one request the document says is valid (made by
 * src/synthesize), and the same request with one constraint broken, with
 * where the gateway's 400 must point. Every broken request is checked locally
 * to break its schema before it is sent.
 */
import { escape, follow, isObject, type Json, METHODS, pointerGet } from "../../src/synthesize/document.ts";
import { type Param, type PreparedOperation, type Synthesized, Synthesizer as ValidRequests } from "../../src/synthesize/synthesizer.ts";

export { METHODS, operationsOf } from "../../src/synthesize/document.ts";
export type { Synthesized } from "../../src/synthesize/synthesizer.ts";

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

/** Builds the cases of one document; `document` is the bundled one, before security is stripped. */
export class Synthesizer extends ValidRequests {
  async case(path: string, method: string, pointer: string): Promise<OperationCase> {
    const prepared = this.prepare(path, method, pointer);
    if (prepared.unsent)
      return { operation: prepared.label, valid: { method: "", url: "", headers: {} }, examplesReplaced: prepared.replaced, unsent: prepared.unsent };
    const values = new Map(prepared.params.map((param) => [param, param.value]));
    const valid = await prepared.build(values, prepared.body?.value);
    const broken = await this.#broken(prepared, values);
    return { operation: prepared.label, valid, broken, examplesReplaced: prepared.replaced };
  }

  /** The first constraint the operation has, broken: a required parameter left out, a required body property left out, a wrong type, a value outside an enum. */
  async #broken({ params, body, build }: PreparedOperation, values: Map<Param, unknown>): Promise<OperationCase["broken"]> {
    const without = (param: Param) => new Map([...values].filter(([p]) => p !== param));
    const where = (param: Param): Expected => ({ in: param.in, name: param.in === "header" ? param.name.toLowerCase() : param.name });
    const required = params.find((param) => param.required && param.in !== "path");
    if (required)
      return {
        what: `required ${required.in} parameter "${required.name}" left out`,
        request: await build(without(required), body?.value),
        expected: where(required),
      };

    const bodyCheck = body ? this.check(body.schemaAt) : undefined;
    if (body && bodyCheck && isObject(body.value) && body.kind !== "text") {
      const schema = this.deref(pointerGet(this.request, body.schemaAt));
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
      const schema = this.deref(pointerGet(this.request, param.schemaAt)) ?? {};
      const types: string[] = Array.isArray(schema.type) ? schema.type : typeof schema.type === "string" ? [schema.type] : [];
      const check = this.check(param.schemaAt);
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
