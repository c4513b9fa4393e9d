/**
 * @module
 * One Zuplo policy instance (config/policies.json) in Portico's terms: named
 * built-in policies, a security scheme, request validation, the mock handler,
 * an adapter over the project's own module, or the reason it has no counterpart.
 * Each mapping reads only the options it knows; any other option set makes the
 * whole policy unmapped, so no behaviour is dropped without a word.
 */
import { BUILTINS } from "../../compiler/registry.ts";
import { mapAuth } from "./auth-map.ts";
import { importTarget, ZUPLO_RUNTIME, type ZuploPolicy } from "./zuplo-project.ts";

export interface PorticoPolicy {
  name: string;
  use: string;
  options?: Record<string, unknown>;
}

export interface SecuritySchemeOut {
  name: string;
  definition: Record<string, unknown>;
}

/** A module adapter to write under policies/zuplo/. */
export interface AdapterRequest {
  kind: "inbound" | "outbound" | "rate-limit-key" | "handler";
  module: string;
  exportName: string;
  file: string;
  options?: unknown;
}

export type Mapped =
  | { kind: "policies"; policies: PorticoPolicy[]; list: "inbound" | "outbound"; adapters?: AdapterRequest[]; extraFiles?: string[] }
  | { kind: "auth"; scheme: SecuritySchemeOut; optional: boolean }
  | { kind: "validate"; mode: "enforce" | "report" }
  | { kind: "mock"; status?: number }
  | { kind: "unmapped"; reason: string };

export type Options = Record<string, any>;

/** `$env(NAME)` (policies.json's spelling) → `${env.NAME}` (x-portico's). */
export function envToPortico<T>(value: T): T {
  if (typeof value === "string") return value.replace(/\$env\(([A-Za-z_][A-Za-z0-9_]*)\)/g, "${env.$1}") as T;
  if (Array.isArray(value)) return value.map(envToPortico) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, envToPortico(v)])) as T;
  return value;
}

export function unknownOptions(options: Options, known: string[]): string | undefined {
  const extra = Object.keys(options).filter((key) => !known.includes(key));
  return extra.length > 0
    ? `option${extra.length > 1 ? "s" : ""} ${extra.map((k) => `\`${k}\``).join(", ")} ha${extra.length > 1 ? "ve" : "s"} no Portico counterpart`
    : undefined;
}

/** Names usable as x-portico policy names and file names. */
export const slug = (name: string) => name.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "policy";

/** A policy's name in x-portico.policies: the Zuplo name, unless a built-in has it (then a listing would share one instance). */
const instanceName = (name: string) => (BUILTINS.has(slug(name)) ? `${slug(name)}-policy` : slug(name));

const PERIODS: Record<string, string> = { daily: "day", weekly: "week", monthly: "month" };

function mapBuiltin(policy: ZuploPolicy, o: Options): Mapped {
  const name = instanceName(policy.name);
  const single = (use: string, options: Options, list: "inbound" | "outbound" = "inbound"): Mapped => ({
    kind: "policies",
    list,
    policies: [{ name, use, options }],
  });
  const check = (known: string[]) => unknownOptions(o, known);
  let problem: string | undefined;
  switch (policy.policyType) {
    case "api-key-inbound":
    case "open-id-jwt-auth-inbound":
    case "auth0-jwt-auth-inbound":
    case "clerk-jwt-auth-inbound":
      return mapAuth(policy.policyType, o, name);
    case "rate-limit-inbound": {
      if ((problem = check(["rateLimitBy", "requestsAllowed", "timeWindowMinutes", "identifier", "mode", "throwOnFailure", "headerMode"]))) break;
      if (o.headerMode === "none") return { kind: "unmapped", reason: "`headerMode: none` (no Retry-After) has no Portico counterpart" };
      const by = { ip: "ip", user: "consumer", all: "all", function: "function" }[o.rateLimitBy as string];
      if (!by) return { kind: "unmapped", reason: `\`rateLimitBy: ${o.rateLimitBy}\` has no Portico counterpart` };
      const options: Options = { limit: o.requestsAllowed, window: Math.round((o.timeWindowMinutes ?? 1) * 60), by, name };
      if (o.mode) options.mode = o.mode;
      // Zuplo lets requests through when the limiter fails unless throwOnFailure is set.
      options.failMode = o.throwOnFailure === true ? "closed" : "open";
      if (by !== "function") return single("rate-limit", options);
      const file = `policies/zuplo/${name}.rate-limit-key.ts`;
      options.function = `./${file}`;
      const { export: exportName = "default", module = "" } = o.identifier ?? {};
      return {
        kind: "policies",
        list: "inbound",
        policies: [{ name, use: "rate-limit", options }],
        adapters: [{ kind: "rate-limit-key", module: importTarget(module), exportName, file }],
      };
    }
    case "quota-inbound": {
      if ((problem = check(["period", "allowances", "quotaBy"]))) break;
      const period = PERIODS[o.period ?? "monthly"];
      if (!period) return { kind: "unmapped", reason: `\`period: ${o.period}\` has no Portico counterpart (day, week, month)` };
      if ((o.quotaBy ?? "user") !== "user")
        return { kind: "unmapped", reason: `\`quotaBy: ${o.quotaBy}\` has no Portico counterpart (quotas count consumers)` };
      const meters = Object.keys(o.allowances ?? {});
      if (meters.some((meter) => meter !== "requests"))
        return { kind: "unmapped", reason: `meters other than \`requests\` (${meters.join(", ")}) have no Portico counterpart` };
      return single("quota", { limit: o.allowances.requests, period, name });
    }
    case "request-validation-inbound": {
      if ((problem = check(["validateBody", "validateQueryParameters", "validatePathParameters", "validateHeaders", "includeRequestInLogs", "logLevel"])))
        break;
      const modes = ["validateBody", "validateQueryParameters", "validatePathParameters", "validateHeaders"].map((k) => o[k]).filter((v) => v && v !== "none");
      return { kind: "validate", mode: modes.some((m) => String(m).startsWith("reject")) ? "enforce" : "report" };
    }
    case "request-size-limit-inbound":
      if ((problem = check(["maxSizeInBytes", "trustContentLengthHeader"]))) break;
      return single("size-limit", { maxBytes: o.maxSizeInBytes });
    case "ip-restriction-inbound":
    case "ip-address-restriction-inbound": {
      if ((problem = check(["allowedIpAddresses", "blockedIpAddresses", "allow", "deny"]))) break;
      const allow = o.allow ?? o.allowedIpAddresses;
      const deny = o.deny ?? o.blockedIpAddresses;
      return single("ip-filter", { ...(allow ? { allow } : {}), ...(deny ? { deny } : {}) });
    }
    case "set-headers-inbound":
    case "set-headers-outbound": {
      if ((problem = check(["headers"]))) break;
      const list = policy.policyType.endsWith("inbound") ? "inbound" : "outbound";
      const headers = (o.headers ?? []) as { name: string; value: string; overwrite?: boolean }[];
      const group = (overwrite: boolean) => Object.fromEntries(headers.filter((h) => (h.overwrite ?? true) === overwrite).map((h) => [h.name, h.value]));
      const policies: PorticoPolicy[] = [];
      if (Object.keys(group(true)).length > 0) policies.push({ name, use: "set-headers", options: { headers: group(true) } });
      if (Object.keys(group(false)).length > 0)
        policies.push({ name: `${name}-if-missing`, use: "set-headers", options: { headers: group(false), overwrite: false } });
      return { kind: "policies", list, policies };
    }
    case "remove-headers-inbound":
    case "remove-headers-outbound":
      if ((problem = check(["headers"]))) break;
      return single("remove-headers", { headers: o.headers }, policy.policyType.endsWith("inbound") ? "inbound" : "outbound");
    case "set-query-params-inbound":
      if ((problem = check(["params"]))) break;
      return { ...(single("./policies/zuplo/set-query-params.ts", { params: o.params }) as Mapped & { kind: "policies" }), extraFiles: ["set-query-params"] };
    case "mock-api-inbound": {
      if ((problem = check(["random", "responsePrefixFilter"]))) break;
      if (o.random) return { kind: "unmapped", reason: "`random: true` has no Portico counterpart (the mock answers the first example)" };
      const prefix = o.responsePrefixFilter as string | undefined;
      if (prefix !== undefined && !/^[1-5]\d\d$/.test(prefix)) return { kind: "unmapped", reason: `\`responsePrefixFilter: ${prefix}\` is not one status` };
      return { kind: "mock", status: prefix === undefined ? undefined : Number(prefix) };
    }
    default:
      return { kind: "unmapped", reason: `the built-in \`${policy.policyType}\` has no Portico counterpart` };
  }
  return { kind: "unmapped", reason: problem ?? "unmapped" };
}

/** Maps one policy instance; module paths in the result are relative to the Zuplo project. */
export function mapPolicy(policy: ZuploPolicy): Mapped {
  const options = envToPortico(policy.handler?.options ?? {}) as Options;
  const module = importTarget(policy.handler?.module ?? "");
  // Zuplo's ip-restriction-inbound is a template of custom code; its options carry the whole behaviour.
  if (module === ZUPLO_RUNTIME || policy.policyType === "ip-restriction-inbound") return mapBuiltin(policy, options);
  if (!module.startsWith("modules/"))
    return { kind: "unmapped", reason: `its module \`${policy.handler?.module}\` is neither @zuplo/runtime nor under modules/` };
  const kind = policy.policyType.endsWith("outbound") ? "outbound" : "inbound";
  const name = instanceName(policy.name);
  const file = `policies/zuplo/${name}.${kind}.ts`;
  return {
    kind: "policies",
    list: kind,
    policies: [{ name, use: `./${file}` }],
    // Options stay in the adapter as written ($env(NAME) read at run time), since the module declares no schema for them.
    adapters: [{ kind, module, exportName: policy.handler.export ?? "default", file, options: policy.handler?.options ?? {} }],
  };
}
