/**
 * Mutations of the OpenAPI side of a document: its own shape, paths, parameters, $refs,
 * schemas and the YAML text, each with the verdict a careful user expects.
 */
import { joinPointer } from "../../../src/compiler/errors.ts";
import { addBodySchema, addComponent, addOperation, addParameterSchema, aliasBomb, nested, type Json, type Operator, operations, some } from "./document.ts";

const pathParameters = (doc: Record<string, any>) =>
  operations(doc).flatMap(({ path, op, at }) =>
    [
      ...(doc.paths[path].parameters ?? []).map((p: any, i: number) => ({ p, at: joinPointer("/paths", path, "parameters", i) })),
      ...(op.parameters ?? []).map((p: any, i: number) => ({ p, at: joinPointer(at, "parameters", i) })),
    ].filter(({ p }) => p?.in === "path"),
  );

const path = (at: string) => at.replace(/\/post$/, "");

/** The place, or its key `key`: either is where the finding belongs. */
const orInside = (at: string, key: string) => `${at}|${at}/${key}`;

/** $ref loops that never reach a value, by what they stand for. */
const LOOPS: Array<[kind: string, use: (ref: { $ref: string }) => Record<string, unknown>]> = [
  ["schemas", (ref) => ({ requestBody: { content: { "application/json": { schema: ref } } } })],
  ["parameters", (ref) => ({ parameters: [ref] })],
  ["requestBodies", (ref) => ({ requestBody: ref })],
];

export const OPENAPI_OPERATORS: Operator[] = [
  // The document's own shape.
  { name: "info deleted", verdict: "refused", apply: (doc) => (delete doc.info, "") },
  { name: "info.title a number", verdict: "refused", apply: (doc) => ((doc.info.title = 42), "/info/title") },
  { name: "openapi: 2.0", verdict: "refused", apply: (doc) => ((doc.openapi = "2.0"), "/openapi") },
  {
    name: "responses deleted (3.0)",
    verdict: "refused",
    apply(doc, pick) {
      const target = some(operations(doc), pick);
      if (!target || !String(doc.openapi).startsWith("3.0")) return undefined;
      delete target.op.responses;
      return target.at;
    },
  },
  {
    // OpenAPI 3.1 made responses optional.
    name: "responses deleted (3.1, forwarded)",
    verdict: "accepted",
    apply(doc, pick) {
      const target = some(operations(doc), pick);
      if (!target || !String(doc.openapi).startsWith("3.1")) return undefined;
      delete target.op.responses;
      target.op["x-portico"] = { ...target.op["x-portico"], handler: { use: "forward", options: { url: "https://api.example.com/v1" } } };
      return target.at;
    },
  },
  {
    name: "parameters an object",
    verdict: "refused",
    apply(doc, pick) {
      const target = some(operations(doc), pick);
      if (!target) return undefined;
      target.op.parameters = { name: "limit", in: "query" };
      return joinPointer(target.at, "parameters");
    },
  },
  {
    // Only its path is read (the base path), from what follows the authority.
    name: "servers url that does not parse",
    verdict: "accepted",
    apply: (doc) => ((doc.servers = [{ url: "http://[::1" }]), "/servers/0/url"),
  },
  // Paths.
  { name: "path without a leading slash", verdict: "refused", apply: (doc) => path(addOperation(doc, "mutant")) },
  { name: "path under /_portico", verdict: "refused", apply: (doc) => path(addOperation(doc, "/_portico/mutant")) },
  { name: "path key with a query", verdict: "refused", apply: (doc) => path(addOperation(doc, "/mutant?debug=1")) },
  { name: "path with * and : in it", verdict: "accepted", apply: (doc) => addOperation(doc, "/mutant/*/:x") },
  { name: "long path", verdict: "accepted", apply: (doc) => addOperation(doc, `/${"a".repeat(20_000)}`) },
  {
    name: "templates that collide on a method",
    verdict: "refused",
    apply: (doc, pick) => templateTwin(doc, pick, (taken) => taken[0]),
  },
  {
    name: "templates that differ only in names, on disjoint methods",
    verdict: "warned",
    apply: (doc, pick) => templateTwin(doc, pick, (taken) => ["get", "put", "post", "delete", "patch"].find((method) => !taken.includes(method))),
  },
  {
    name: "unicode names",
    verdict: "accepted",
    apply: (doc) =>
      addOperation(doc, "/ümlaut/{naïve}", {
        operationId: "créerÉlément",
        parameters: [{ name: "naïve", in: "path", required: true, schema: { type: "string", title: "名前" } }],
      }),
  },
  // Operations and parameters.
  {
    name: "operationId used twice",
    verdict: "refused",
    apply(doc, pick) {
      const named = operations(doc).filter(({ op }) => typeof op.operationId === "string");
      if (named.length < 2) return undefined;
      const first = pick(named.length);
      const second = (first + 1 + pick(named.length - 1)) % named.length;
      named[second].op.operationId = named[first].op.operationId;
      // The build names the one it plans second.
      return `${named[first].at}/operationId|${named[second].at}/operationId`;
    },
  },
  { name: "path parameter not declared", verdict: "refused", apply: (doc) => addOperation(doc, "/mutant/{undeclared}") },
  {
    name: "path parameter not in the path",
    verdict: "refused",
    apply(doc, pick) {
      const target = some(operations(doc), pick);
      if (!target) return undefined;
      target.op.parameters = [...(target.op.parameters ?? []), { name: "absent", in: "path", required: true, schema: { type: "string" } }];
      return joinPointer(target.at, "parameters", target.op.parameters.length - 1);
    },
  },
  {
    name: "path parameter required: false",
    verdict: "refused",
    apply(doc, pick) {
      const target = some(pathParameters(doc), pick);
      if (!target) return undefined;
      target.p.required = false;
      return joinPointer(target.at, "required");
    },
  },
  {
    name: "parameter with schema and content",
    verdict: "refused",
    apply: (doc) =>
      addOperation(doc, "/mutant-parameter", {
        parameters: [{ name: "q", in: "query", schema: { type: "string" }, content: { "application/json": { schema: {} } } }],
      }) + "/parameters/0",
  },
  {
    name: "style deepObject on a path parameter",
    verdict: "refused",
    apply: (doc) =>
      addOperation(doc, "/mutant/{p}", { parameters: [{ name: "p", in: "path", required: true, style: "deepObject", schema: { type: "object" } }] }) +
      "/parameters/0",
  },
  {
    // OpenAPI: "The list MUST NOT include duplicated parameters"; the build keeps the last one.
    name: "parameter declared twice",
    verdict: "refused",
    gap: "accepted: the second declaration silently replaces the first",
    apply: (doc) =>
      addOperation(doc, "/mutant-parameter", {
        parameters: [
          { name: "q", in: "query", schema: { type: "integer" } },
          { name: "q", in: "query", schema: { type: "string" } },
        ],
      }) + "/parameters|/paths/~1mutant-parameter/post/parameters/1",
  },
  // $refs.
  { name: "$ref to nothing", verdict: "refused", apply: (doc) => addBodySchema(doc, { $ref: "#/components/schemas/DoesNotExist" }) },
  { name: "$ref to a missing file", verdict: "refused", apply: (doc) => addBodySchema(doc, { $ref: "./missing.yaml#/Thing" }) },
  {
    name: "$ref loop that reaches no value",
    verdict: "refused",
    gap: 'refused: at the document root (pointer ""), not at the $ref that loops',
    apply(doc, pick) {
      const [kind, use] = LOOPS[pick(LOOPS.length)];
      const at = addComponent(doc, kind, "Loop", { $ref: `#/components/${kind}/Loop` });
      addOperation(doc, "/mutant-loop", use({ $ref: `#/components/${kind}/Loop` }));
      return at;
    },
  },
  {
    name: "recursive schema",
    verdict: "accepted",
    apply(doc) {
      addComponent(doc, "schemas", "Tree", { type: "object", properties: { children: { type: "array", items: { $ref: "#/components/schemas/Tree" } } } });
      return addBodySchema(doc, { $ref: "#/components/schemas/Tree" });
    },
  },
  // Schemas.
  { name: "boolean schemas", verdict: "accepted", apply: (doc) => addBodySchema(doc, { type: "object", properties: { any: true, none: false } }) },
  { name: "schema type misspelt", verdict: "refused", apply: (doc) => addBodySchema(doc, { type: "strnig" }) + "/type" },
  // The build names the schema holding the pattern, a line above the pattern itself.
  { name: "invalid regex", verdict: "refused", apply: (doc) => orInside(addParameterSchema(doc, { type: "string", pattern: "([a-z" }), "pattern") },
  { name: "ReDoS-prone pattern", verdict: "warned", apply: (doc) => addParameterSchema(doc, { type: "string", pattern: "^(a+)+$" }) + "/pattern" },
  {
    name: "ReDoS-prone pattern RE2 cannot run",
    verdict: "refused",
    apply: (doc) => addParameterSchema(doc, { type: "string", pattern: "^(?=a)(a+)+$" }) + "/pattern",
  },
  {
    name: "unknown format",
    verdict: "warned",
    apply: (doc) => orInside(addParameterSchema(doc, { type: "string", format: "credit-card" }), "format"),
  },
  { name: "huge enum", verdict: "accepted", apply: (doc) => addParameterSchema(doc, { enum: Array.from({ length: 20_000 }, (_, i) => `v${i}`) }) },
  { name: "deep nesting (40 levels)", verdict: "accepted", apply: (doc) => addBodySchema(doc, nested(40)) },
  {
    name: "deep nesting (60 levels)",
    verdict: "accepted",
    apply: (doc) => (refersOutside(doc) ? undefined : addBodySchema(doc, nested(60))),
  },
  {
    // A document of several files goes through the bundler, which is given the entry as the build parsed it (its own YAML parser stops at 100 levels).
    name: "deep nesting (60 levels), several files",
    verdict: "accepted",
    apply: (doc) => (refersOutside(doc) ? addBodySchema(doc, nested(60)) : undefined),
  },
  {
    name: "uniqueItems over objects, unbounded",
    verdict: "warned",
    apply: (doc) => addBodySchema(doc, { type: "array", uniqueItems: true, items: { type: "object" } }),
  },
  { name: "schema under */*", verdict: "warned", apply: (doc) => addBodySchema(doc, { type: "object", required: ["a"] }, "*/*") },
  // The YAML text.
  {
    name: "YAML key twice",
    verdict: "refused",
    apply: (doc) => ((doc.info["x-twice"] = 1), ""),
    rewrite: (text) => text.replace(/^( +)x-twice: 1$/m, "$1x-twice: 1\n$1x-twice: 2"),
  },
  {
    name: "YAML alias bomb",
    verdict: "refused",
    apply: (doc) => ((doc.info["x-bomb"] = aliasBomb(9, 9)), ""),
  },
  { name: "byte-order mark", verdict: "accepted", apply: () => "", rewrite: (text) => `\uFEFF${text}` },
];

/**
 * A twin of a templated path, its parameters renamed, with one operation on the method `methodFor`
 * picks from those the path has: one it has makes a collision the build refuses, another a twin it
 * routes by method and warns of. Returns the pointers either finding may stand at.
 */
function templateTwin(doc: Json, pick: (n: number) => number, methodFor: (taken: string[]) => string | undefined): string | undefined {
  const target = some(
    operations(doc).filter(({ path }) => /\{[^}]+\}/.test(path) && !/[#?]/.test(path)),
    pick,
  );
  if (!target) return undefined;
  const method = methodFor(
    operations(doc)
      .filter(({ path }) => path === target.path)
      .map((op) => op.method),
  );
  if (!method) return undefined;
  const twin = target.path.replace(/\{([^}]+)\}/g, "{$1Twin}");
  const parameters = [...target.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name: `${name}Twin`,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  addOperation(doc, twin, { parameters });
  doc.paths[twin] = { [method]: doc.paths[twin].post };
  return `${joinPointer("/paths", twin)}|${joinPointer("/paths", target.path)}`;
}

/** Whether the document refers to another file (a `$ref` not within itself). */
function refersOutside(doc: Json): boolean {
  return /"\$ref":"(?!#)/.test(JSON.stringify(doc));
}
