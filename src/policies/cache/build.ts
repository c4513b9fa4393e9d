import { describeBuiltin, type BuildOperation } from "../../builtin-descriptor.ts";
import { options, type CacheOptions, type CachePrepared, type QueryRule } from "./options.ts";

type Json = Record<string, any>;

/** The operation's security (else the document's): whether it asks for credentials, and whether it also takes none. */
export function securityOf(input: Pick<BuildOperation, "operation" | "document">): { secured: boolean; anonymous: boolean } {
  const security: unknown = input.operation.security ?? input.document.security;
  const alternatives = Array.isArray(security) ? security : [];
  const empty = (requirement: unknown) => Object.keys(requirement ?? {}).length === 0;
  const secured = alternatives.some((requirement) => !empty(requirement));
  // `security: [{}, { key: [] }]`: a call without credentials is allowed too.
  return { secured, anonymous: !secured || alternatives.some(empty) };
}

type Input = Pick<BuildOperation, "operation" | "document" | "path" | "deref">;

/** The parameters the operation and its path declare, $refs followed. */
function parametersOf(input: Input): Json[] {
  const pathItem = input.deref(input.document.paths?.[input.path]) ?? {};
  return [...(pathItem.parameters ?? []), ...(input.operation.parameters ?? [])]
    .map((raw: unknown) => input.deref(raw) as Json)
    .filter((parameter) => typeof parameter?.name === "string");
}

/** OpenAPI ignores header parameters by these names: the document describes them elsewhere. */
const NOT_HEADER_PARAMETERS = new Set(["accept", "content-type", "authorization"]);

/** The names of the declared parameters in a place; header names lower-cased. */
export function declaredNames(input: Input, place: "header" | "cookie"): string[] {
  const names = parametersOf(input)
    .filter((parameter) => parameter.in === place)
    .map((parameter) => (place === "header" ? parameter.name.toLowerCase() : parameter.name))
    .filter((name) => place !== "header" || !NOT_HEADER_PARAMETERS.has(name));
  return [...new Set(names)].sort();
}

/** The query parameters the operation (or its path) declares, as the keys they arrive under. */
export function queryRuleOf(input: Input): QueryRule {
  const rule: QueryRule = { names: [], prefixes: [], all: false };
  for (const parameter of parametersOf(input)) {
    if (parameter.in !== "query") continue;
    rule.names.push(parameter.name);
    const schema = input.deref(parameter.schema) as Json | undefined;
    const object = schema !== undefined && (schema.type === "object" || schema.properties !== undefined);
    if (!object || parameter.content) continue;
    const style = parameter.style ?? "form";
    if (style === "deepObject") rule.prefixes.push(`${parameter.name}[`);
    // An exploded form object arrives as its members' own keys: the named ones, or any.
    else if (style === "form" && parameter.explode !== false) {
      if (schema.additionalProperties === false && schema.properties) rule.names.push(...Object.keys(schema.properties));
      else rule.all = true;
    }
  }
  return { names: [...new Set(rule.names)].sort(), prefixes: [...new Set(rule.prefixes)].sort(), all: rule.all };
}

export default describeBuiltin<CacheOptions, CachePrepared>({
  name: "cache",
  kind: "policy",
  summary:
    "Answers repeated GETs from the Workers Cache API, per consumer or shared, keyed by the route, the declared query parameters and the listed headers; stores what the upstream's Cache-Control (or ttl) allows.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound", "outbound"],
  // Listed in inbound, it stores the handler's answer on the way back.
  wraps: true,
  perOperation: true,
  prepare(use, { operation }) {
    // Gateway-wide, check() has already failed the build: one error says it.
    if (use.gatewayWide) return {};
    const method = operation!.method.toUpperCase();
    if (method !== "GET") {
      throw new Error(`cache stores GET answers only (HEAD is answered from them), and this operation is ${method}. Take cache out of its lists.`);
    }
    const { secured, anonymous } = securityOf(operation!);
    const by = use.options.by ?? (secured ? "consumer" : "shared");
    const declared = { query: queryRuleOf(operation!), headers: declaredNames(operation!, "header"), cookies: declaredNames(operation!, "cookie") };
    // What the route table calls the operation: its operationId, else its method and path.
    const route = use.operationId ?? operation!.operation.operationId ?? `${method} ${operation!.path}`;
    return { prepared: { instance: use.where, route, by, anonymous, ...declared } };
  },
  check(use) {
    if (!use.gatewayWide) return [];
    return [
      {
        severity: "error",
        message:
          "cache cannot be gateway-wide: that list runs before authentication, so a cached answer would skip it, and no consumer is known to keep answers apart.",
        hint: "List cache in the inbound of each GET operation it applies to, after the rate limits and quotas (a named policy under x-portico.policies keeps that short).",
      },
    ];
  },
  durableObjects: [{ className: "CachePurges", module: new URL("./cache-purges.ts", import.meta.url), binding: (options) => options.binding }],
  portal: (use, prepared) => ({
    kind: "cache",
    name: use.name,
    by: prepared.by,
    ...(use.options.ttl === undefined ? {} : { ttl: use.options.ttl }),
    ...(use.options.staleWhileRevalidate === undefined ? {} : { staleWhileRevalidate: use.options.staleWhileRevalidate }),
  }),
  // POST /_portico/cache/purge, for `portico cache purge`.
  admin: true,
});
