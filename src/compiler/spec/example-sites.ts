/**
 * @module
 * Every example the document gives, with the schema it must meet: the
 * `example` and `examples` of parameters, headers, request bodies and
 * responses, and schema-level `example` / `examples`. Each is listed where it
 * stands: a `$ref`'d parameter, response or schema is walked once, at its
 * definition under components, not at every use.
 */
import { isJsonMediaType } from "../../handlers/mock/options.ts";
import { joinPointer } from "../errors.ts";

/** Which copy of the document judges the example: readOnly and writeOnly differ (see read-write-only.ts). */
export type Direction = "request" | "response" | "either";

export interface ExampleSite {
  /** JSON pointer of the example (of the `examples` entry, when that is a `$ref` to an Example Object). */
  pointer: string;
  value: unknown;
  /** JSON pointer of the schema the example must meet. */
  schema: string;
  /** A schema under components serves both directions: its example must meet one of them. */
  direction: Direction;
  /** Set for a parameter's or header's example: it travels as text, read the way the gateway reads it. */
  parameter?: Record<string, any>;
}

type Json = Record<string, any>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const isRef = (value: unknown) => isObject(value) && typeof value.$ref === "string";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/** Keywords holding one subschema, a list of them, or a map of them. */
const ONE = ["additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"];
const LIST = ["allOf", "anyOf", "oneOf", "prefixItems"];
const MAP = ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"];

export function exampleSites(document: Json, deref: (value: unknown) => any): ExampleSite[] {
  const sites: ExampleSite[] = [];

  const schema = (node: unknown, pointer: string, direction: Direction, seen = 0): void => {
    if (!isObject(node) || seen > 64) return;
    if ("example" in node) sites.push({ pointer: joinPointer(pointer, "example"), value: node.example, schema: pointer, direction });
    if (Array.isArray(node.examples))
      node.examples.forEach((value, i) => sites.push({ pointer: joinPointer(pointer, "examples", i), value, schema: pointer, direction }));
    for (const key of ONE) schema(node[key], joinPointer(pointer, key), direction, seen + 1);
    if (Array.isArray(node.items)) node.items.forEach((item, i) => schema(item, joinPointer(pointer, "items", i), direction, seen + 1));
    else schema(node.items, joinPointer(pointer, "items"), direction, seen + 1);
    for (const key of LIST)
      if (Array.isArray(node[key])) node[key].forEach((item: unknown, i: number) => schema(item, joinPointer(pointer, key, i), direction, seen + 1));
    for (const key of MAP)
      if (isObject(node[key])) for (const [name, item] of Object.entries(node[key])) schema(item, joinPointer(pointer, key, name), direction, seen + 1);
  };

  /** `example` and `examples` beside a schema: a media type's, a parameter's or a header's. */
  const beside = (node: Json, pointer: string, schemaPointer: string, direction: Direction, parameter?: Json) => {
    if ("example" in node) sites.push({ pointer: joinPointer(pointer, "example"), value: node.example, schema: schemaPointer, direction, parameter });
    if (!isObject(node.examples)) return;
    for (const [name, entry] of Object.entries(node.examples)) {
      const example = deref(entry);
      // An externalValue is never fetched: there is nothing to check.
      if (isObject(example) && "value" in example)
        sites.push({ pointer: joinPointer(pointer, "examples", name), value: example.value, schema: schemaPointer, direction, parameter });
    }
  };

  const content = (node: unknown, pointer: string, direction: Direction) => {
    if (!isObject(node)) return;
    for (const [type, media] of Object.entries(node)) {
      if (!isObject(media)) continue;
      const at = joinPointer(pointer, type);
      if (media.schema === undefined) continue;
      // Other media types' examples are written as their text (XML, CSV): not JSON values to check.
      if (isJsonMediaType(type.toLowerCase())) beside(media, at, joinPointer(at, "schema"), direction);
      schema(media.schema, joinPointer(at, "schema"), direction);
    }
  };

  const parameter = (node: unknown, pointer: string, direction: Direction, header?: string) => {
    if (!isObject(node) || isRef(node)) return;
    const declared = header === undefined ? node : { ...node, name: header, in: "header" };
    if (node.schema !== undefined) {
      beside(node, pointer, joinPointer(pointer, "schema"), direction, declared);
      schema(node.schema, joinPointer(pointer, "schema"), direction);
    }
    content(node.content, joinPointer(pointer, "content"), direction);
  };

  const response = (node: unknown, pointer: string) => {
    if (!isObject(node) || isRef(node)) return;
    content(node.content, joinPointer(pointer, "content"), "response");
    if (isObject(node.headers))
      for (const [name, header] of Object.entries(node.headers)) parameter(header, joinPointer(pointer, "headers", name), "response", name);
  };

  const requestBody = (node: unknown, pointer: string) => {
    if (isObject(node) && !isRef(node)) content(node.content, joinPointer(pointer, "content"), "request");
  };

  const pathItem = (node: unknown, pointer: string, depth = 0): void => {
    if (!isObject(node) || isRef(node) || depth > 8) return;
    const parameters = (list: unknown, at: string) => (Array.isArray(list) ? list : []).forEach((item, i) => parameter(item, joinPointer(at, i), "request"));
    parameters(node.parameters, joinPointer(pointer, "parameters"));
    for (const method of METHODS) {
      const operation = node[method];
      if (!isObject(operation)) continue;
      const at = joinPointer(pointer, method);
      parameters(operation.parameters, joinPointer(at, "parameters"));
      requestBody(operation.requestBody, joinPointer(at, "requestBody"));
      if (isObject(operation.responses)) for (const [key, item] of Object.entries(operation.responses)) response(item, joinPointer(at, "responses", key));
      if (isObject(operation.callbacks)) {
        for (const [name, callback] of Object.entries(operation.callbacks)) {
          if (isObject(callback) && !isRef(callback))
            for (const [expression, item] of Object.entries(callback)) pathItem(item, joinPointer(at, "callbacks", name, expression), depth + 1);
        }
      }
    }
  };

  const each = (map: unknown, pointer: string, visit: (node: unknown, at: string) => void) => {
    if (isObject(map)) for (const [name, node] of Object.entries(map)) visit(node, joinPointer(pointer, name));
  };
  each(document.paths, "/paths", (node, at) => pathItem(node, at));
  each(document.webhooks, "/webhooks", (node, at) => pathItem(node, at));
  const components = isObject(document.components) ? document.components : {};
  each(components.pathItems, "/components/pathItems", (node, at) => pathItem(node, at));
  each(components.schemas, "/components/schemas", (node, at) => schema(node, at, "either"));
  each(components.parameters, "/components/parameters", (node, at) => parameter(node, at, "request"));
  each(components.headers, "/components/headers", (node, at) => parameter(node, at, "response", at.split("/").pop()));
  each(components.requestBodies, "/components/requestBodies", requestBody);
  each(components.responses, "/components/responses", response);
  return sites;
}
