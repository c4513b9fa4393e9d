/**
 * What the mutation operators share: their shape, and functions that find or add the places
 * an operator changes in a parsed OpenAPI document.
 */
import { joinPointer } from "../../../src/compiler/errors.ts";

export type Json = Record<string, any>;
export type Verdict = "refused" | "warned" | "accepted";

export interface Operator {
  name: string;
  /** What a careful user expects of the build. */
  verdict: Verdict;
  /**
   * Where the compiler does otherwise today: its verdict first ("crash", "accepted", …), then
   * how. Such mutants pass while that stays so, and fail once the compiler gets them right.
   */
  gap?: string;
  /**
   * Mutates `doc` in place; returns the pointer of the expected finding (alternatives joined
   * by "|"; for accepted, the changed place), or undefined when `doc` has no place for it.
   * `pick(n)` chooses one of n targets.
   */
  apply(doc: Json, pick: (n: number) => number): string | undefined;
  /** A change to the YAML text itself, after the document is written. */
  rewrite?(text: string): string;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

export interface Op {
  path: string;
  method: string;
  op: Json;
  at: string;
}

export function operations(doc: Json): Op[] {
  return Object.entries<Json>(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item?.[method]).map((method) => ({ path, method, op: item[method], at: joinPointer("/paths", path, method) })),
  );
}

export const some = <T>(list: T[], pick: (n: number) => number): T | undefined => (list.length === 0 ? undefined : list[pick(list.length)]);

/** A fresh operation on a path of its own, answered by the mock; returns its pointer. */
export function addOperation(doc: Json, path = "/mutant", extra: Json = {}): string {
  doc.paths ??= {};
  const operationId = `mutant${Object.keys(doc.paths).length}`;
  doc.paths[path] = { post: { operationId, "x-portico": { handler: "mock" }, responses: { "200": { description: "ok" } }, ...extra } };
  return joinPointer("/paths", path, "post");
}

/** A fresh operation answered by `handler`, with a path parameter `p`; returns the pointer of the handler's options. */
export function addHandler(doc: Json, handler: Json): string {
  const parameters = [{ name: "p", in: "path", required: true, schema: { type: "string" } }];
  return addOperation(doc, "/mutant-handler/{p}", { parameters, "x-portico": { handler } }) + "/x-portico/handler/options";
}

/** A query parameter with this schema on a fresh operation; returns the schema's pointer. */
export function addParameterSchema(doc: Json, schema: unknown): string {
  return addOperation(doc, "/mutant-parameter", { parameters: [{ name: "q", in: "query", schema }] }) + "/parameters/0/schema";
}

/** A request body with this schema on a fresh operation; returns the schema's pointer. */
export function addBodySchema(doc: Json, schema: unknown, type = "application/json"): string {
  const at = addOperation(doc, "/mutant-body", { requestBody: { content: { [type]: { schema } } } });
  return joinPointer(at, "requestBody", "content", type, "schema");
}

/** Adds to components.<kind>; returns the pointer of the entry. */
export function addComponent(doc: Json, kind: string, name: string, value: unknown): string {
  doc.components = { ...doc.components, [kind]: { ...doc.components?.[kind], [name]: value } };
  return joinPointer("/components", kind, name);
}

/** A security scheme required by a fresh operation; returns the scheme's pointer. */
export function addScheme(doc: Json, scheme: Json, scopes: string[] = []): string {
  const at = addComponent(doc, "securitySchemes", "mutantScheme", scheme);
  addOperation(doc, "/mutant-secured", { security: [{ mutantScheme: scopes }] });
  return at;
}

/** A bearer scheme with this x-portico, required by a fresh operation; returns the scheme's pointer. */
export const addBearer = (doc: Json, extension: Json) => addScheme(doc, { type: "http", scheme: "bearer", "x-portico": extension });

/** An inbound listing on an existing operation; returns its pointer. */
export function listInbound(doc: Json, ref: unknown, pick: (n: number) => number): string | undefined {
  const target = some(operations(doc), pick);
  if (!target) return undefined;
  const extension = (target.op["x-portico"] = { ...target.op["x-portico"] });
  extension.inbound = [...(extension.inbound ?? []), ref];
  return joinPointer(target.at, "x-portico", "inbound", extension.inbound.length - 1);
}

/** Sets keys of the document's own x-portico. */
export function setRoot(doc: Json, keys: Json): void {
  doc["x-portico"] = { ...doc["x-portico"], ...keys };
}

export function nested(depth: number): Json {
  let schema: Json = { type: "string" };
  for (let i = 0; i < depth; i++) schema = { type: "object", properties: { a: schema } };
  return schema;
}

/** An array holding itself `width` times per level: written with YAML aliases, it is tiny; read whole, it is not. */
export function aliasBomb(levels: number, width: number): unknown {
  let node: unknown = ["lol"];
  for (let i = 0; i < levels; i++) node = Array.from({ length: width }, () => node);
  return node;
}
