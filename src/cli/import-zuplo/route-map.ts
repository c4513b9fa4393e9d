/**
 * @module
 * One Zuplo route (an operation's `x-zuplo-route`) as the operation's own
 * `x-portico`: its handler, its inbound and outbound lists, its security and
 * whether it is validated. What has no counterpart is reported and referenced
 * as a module that does not exist, so the build stops there.
 */
import { mapPolicy, slug, type AdapterRequest, type Mapped, type PorticoPolicy, type SecuritySchemeOut } from "./policy-map.ts";
import { importTarget, ZUPLO_RUNTIME, type ZuploCorsPolicy, type ZuploProject, type ZuploRoute } from "./zuplo-project.ts";

export interface Unmapped {
  file: string;
  place: string;
  reason: string;
}

/** What the routes need written beside the document. */
export interface ImportState {
  project: ZuploProject;
  policies: Record<string, Omit<PorticoPolicy, "name">>;
  schemes: Record<string, Record<string, unknown>>;
  adapters: (AdapterRequest & { origin: string })[];
  extraFiles: Set<string>;
  unmapped: Unmapped[];
  notes: string[];
  /** Each policy instance mapped once, whatever number of routes list it. */
  mappedPolicies: Map<string, Mapped>;
}

export const UNMAPPED_DIR = "policies/zuplo-unmapped";
const missing = (name: string) => `./${UNMAPPED_DIR}/${slug(name)}.ts`;
const TEMPLATE_VAR = /\$\{([^}]*)\}/g;

function policyFor(state: ImportState, name: string): Mapped {
  const cached = state.mappedPolicies.get(name);
  if (cached) return cached;
  const index = state.project.policies.findIndex((policy) => policy.name === name);
  const mapped: Mapped = index < 0 ? { kind: "unmapped", reason: "no policy of this name in config/policies.json" } : mapPolicy(state.project.policies[index]);
  state.mappedPolicies.set(name, mapped);
  if (mapped.kind === "unmapped") {
    const type = index < 0 ? "" : ` (${state.project.policies[index].policyType})`;
    state.unmapped.push({ file: "config/policies.json", place: index < 0 ? `policy "${name}"` : `policies[${index}] "${name}"${type}`, reason: mapped.reason });
  } else if (mapped.kind === "policies") {
    for (const policy of mapped.policies) state.policies[policy.name] = { use: policy.use, ...(policy.options ? { options: policy.options } : {}) };
    for (const adapter of mapped.adapters ?? []) state.adapters.push({ ...adapter, origin: `"${name}" (config/policies.json)` });
    for (const file of mapped.extraFiles ?? []) state.extraFiles.add(file);
  } else if (mapped.kind === "auth") state.schemes[mapped.scheme.name] = mapped.scheme.definition;
  return mapped;
}

const list = (value: string[] | string | undefined) =>
  value === undefined
    ? undefined
    : (Array.isArray(value) ? value : value.split(",")).map((item) => item.trim().replace(/\$env\(([A-Za-z_][A-Za-z0-9_]*)\)/g, "${env.$1}"));

function corsOptions(cors: ZuploCorsPolicy): Record<string, unknown> {
  const options: Record<string, unknown> = { origins: list(cors.allowedOrigins) };
  if (cors.allowedMethods) options.allowMethods = list(cors.allowedMethods);
  if (cors.allowedHeaders) options.allowHeaders = list(cors.allowedHeaders);
  if (cors.exposeHeaders) options.exposeHeaders = list(cors.exposeHeaders);
  if (cors.maxAge !== undefined) options.maxAge = cors.maxAge;
  if (cors.allowCredentials) options.credentials = true;
  return options;
}

/** A forward URL from a Zuplo template: only ${env.X} and ${params.x} mean the same in Portico. */
function forwardUrl(template: string): string | undefined {
  const vars = [...template.matchAll(TEMPLATE_VAR)].map((match) => match[1].trim());
  return vars.every((v) => /^(env|params)\.[A-Za-z_][A-Za-z0-9_]*$/.test(v)) ? template : undefined;
}

function handlerFor(state: ImportState, route: ZuploRoute, path: string, opSlug: string, where: Unmapped): unknown {
  const { export: exportName, options = {} } = route.handler ?? {};
  const module = importTarget(route.handler?.module ?? "");
  const fail = (reason: string) => (state.unmapped.push({ ...where, place: `${where.place}/handler`, reason }), { use: missing(`${opSlug}-handler`) });
  if (module.startsWith("modules/")) {
    const file = `policies/zuplo/${opSlug}.handler.ts`;
    state.adapters.push({ kind: "handler", module, exportName: exportName ?? "default", file, origin: `${where.file}#${where.place}` });
    return { use: `./${file}` };
  }
  if (module !== ZUPLO_RUNTIME) return fail(`its module \`${route.handler?.module}\` is neither @zuplo/runtime nor under modules/`);
  const extra = (known: string[]) => Object.keys(options).filter((key) => !known.includes(key));
  if (exportName === "urlForwardHandler" || exportName === "urlRewriteHandler") {
    const forward = exportName === "urlForwardHandler";
    const others = extra(forward ? ["baseUrl", "forwardSearch"] : ["rewritePattern", "forwardSearch"]);
    if (options.forwardSearch === false) others.push("forwardSearch: false");
    if (others.length > 0) return fail(`${others.map((o) => `\`${o}\``).join(", ")} ha${others.length > 1 ? "ve" : "s"} no Portico counterpart`);
    const raw = forward
      ? `${String(options.baseUrl ?? "").replace(/\/$/, "")}${path.replace(/\{([^}]+)\}/g, "${params.$1}")}`
      : String(options.rewritePattern ?? "");
    const url = forwardUrl(raw);
    return url ? { use: "forward", options: { url } } : fail(`\`${raw}\` uses values other than \${env.*} and \${params.*}`);
  }
  if (exportName === "redirectHandler") {
    if (extra(["location", "status"]).length > 0) return fail(`option(s) ${extra(["location", "status"]).join(", ")} have no Portico counterpart`);
    return { use: "redirect", options: { location: options.location, ...(options.status ? { status: options.status } : {}) } };
  }
  return fail(`the built-in handler \`${exportName}\` has no Portico counterpart`);
}

/** The operation's x-portico and security, from its x-zuplo-route; `where` names the route in its file. */
export function mapRoute(state: ImportState, route: ZuploRoute, path: string, method: string, where: Unmapped) {
  const opSlug = slug(`${method}-${path}`);
  const inbound: string[] = [];
  const outbound: string[] = [];
  const schemes: { scheme: SecuritySchemeOut; optional: boolean }[] = [];
  let validate: false | { mode: string } = false;
  let mock: { status?: number } | undefined;
  const cors = route.corsPolicy ?? "none";
  if (cors === "anything-goes") {
    state.policies["cors-anything-goes"] = { use: "cors", options: { origins: ["*"], allowHeaders: ["*"] } };
    inbound.push("cors-anything-goes");
    if (!state.notes.some((n) => n.startsWith("corsPolicy anything-goes")))
      state.notes.push(
        "corsPolicy anything-goes: answered with `Access-Control-Allow-Origin: *` and no credentials (Portico never reflects any origin with credentials).",
      );
  } else if (cors !== "none") {
    const found = state.project.corsPolicies.find((policy) => policy.name === cors);
    if (!found) {
      state.unmapped.push({ ...where, place: `${where.place}/corsPolicy`, reason: `no CORS policy "${cors}" in config/policies.json` });
      inbound.push(`zuplo-unmapped-cors-${slug(cors)}`);
      state.policies[`zuplo-unmapped-cors-${slug(cors)}`] = { use: missing(`cors-${cors}`) };
    } else {
      state.policies[`cors-${slug(cors)}`] = { use: "cors", options: corsOptions(found) };
      inbound.push(`cors-${slug(cors)}`);
    }
  }
  for (const [listName, names] of [
    ["inbound", route.policies?.inbound ?? []],
    ["outbound", route.policies?.outbound ?? []],
  ] as const) {
    for (const name of names) {
      const mapped = policyFor(state, name);
      const target = listName === "inbound" ? inbound : outbound;
      if (mapped.kind === "policies") target.push(...mapped.policies.map((policy) => policy.name));
      else if (mapped.kind === "auth") schemes.push(mapped);
      else if (mapped.kind === "validate") validate = { mode: mapped.mode };
      else if (mapped.kind === "mock") mock = mapped;
      else {
        state.policies[`zuplo-unmapped-${slug(name)}`] = { use: missing(name) };
        target.push(`zuplo-unmapped-${slug(name)}`);
      }
    }
  }
  const handler = mock ? { use: "mock", ...(mock.status ? { options: { status: mock.status } } : {}) } : handlerFor(state, route, path, opSlug, where);
  // Zuplo's auth policies in a row: all optional is any one of them or none; otherwise all of them.
  const requirement = Object.fromEntries(schemes.map(({ scheme }) => [scheme.name, []]));
  const security = schemes.length === 0 ? [] : schemes.every((s) => s.optional) ? [...schemes.map(({ scheme }) => ({ [scheme.name]: [] })), {}] : [requirement];
  const xPortico: Record<string, unknown> = { handler };
  if (inbound.length > 0) xPortico.inbound = inbound;
  if (outbound.length > 0) xPortico.outbound = outbound;
  xPortico.validate = validate;
  return { xPortico, security };
}
