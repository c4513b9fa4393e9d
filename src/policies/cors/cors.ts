/**
 * @module
 * cors: lets browsers on the listed origins call the API. Its preflight step
 * answers OPTIONS with Access-Control-Request-Method before any policy runs,
 * and its finish step adds the CORS headers to every response of the
 * operation, errors and early answers such as a 401 included.
 */
import type { FromSchema } from "json-schema-to-ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import type { options } from "./options.ts";

type CorsOptions = FromSchema<typeof options>;

interface OriginRules {
  any: boolean;
  exact: Set<string>;
  /** `https://*.example.com` as prefix `https://` and suffix `.example.com`. */
  wildcards: Array<{ prefix: string; suffix: string }>;
}

const SUBDOMAIN_LABELS = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

function rulesOf(settings: CorsOptions): OriginRules {
  const rules: OriginRules = { any: false, exact: new Set(), wildcards: [] };
  // An entry filled from ${env.NAME} may hold several origins.
  for (const entry of settings.origins.flatMap((origin) => origin.split(","))) {
    const origin = entry.trim().toLowerCase().replace(/\/+$/, "");
    const wildcard = origin.indexOf("://*.");
    if (origin === "*") {
      // Never with credentials, even when an env var brings the "*" past the build's check.
      if (!settings.credentials) rules.any = true;
    } else if (wildcard > 0) {
      rules.wildcards.push({ prefix: origin.slice(0, wildcard + 3), suffix: origin.slice(wildcard + 4) });
    } else if (origin) {
      rules.exact.add(origin);
    }
  }
  return rules;
}

/** The Access-Control-Allow-Origin value for this caller, or undefined when it is not allowed. */
function allowedOrigin(origin: string | null, rules: OriginRules): string | undefined {
  if (rules.any) return "*";
  if (!origin) return undefined;
  const lower = origin.toLowerCase();
  if (rules.exact.has(lower)) return origin;
  const matches = rules.wildcards.some(
    ({ prefix, suffix }) =>
      lower.length > prefix.length + suffix.length &&
      lower.startsWith(prefix) &&
      lower.endsWith(suffix) &&
      SUBDOMAIN_LABELS.test(lower.slice(prefix.length, lower.length - suffix.length)),
  );
  return matches ? origin : undefined;
}

function addVary(headers: Headers, name: string): void {
  const current = headers.get("vary");
  if (!current) return headers.set("vary", name);
  const tokens = current.split(",").map((token) => token.trim().toLowerCase());
  if (!tokens.includes("*") && !tokens.includes(name.toLowerCase())) headers.set("vary", `${current}, ${name}`);
}

/** What the options say, worked out once at set-up: requests only read it. */
interface CorsPolicy {
  rules: OriginRules;
  credentials: boolean;
  /** Undefined: the path's own methods. */
  methods?: string[];
  /** `["*"]`: whatever the browser asks for, named back. */
  anyHeader: boolean;
  allowHeaders: string;
  exposeHeaders: string;
  maxAge: string;
}

function policyOf(settings: CorsOptions): CorsPolicy {
  return {
    rules: rulesOf(settings),
    credentials: settings.credentials,
    methods: settings.allowMethods && [...settings.allowMethods],
    anyHeader: settings.allowHeaders.includes("*"),
    allowHeaders: settings.allowHeaders.join(", "),
    exposeHeaders: settings.exposeHeaders.join(", "),
    maxAge: String(settings.maxAge),
  };
}

/** Headers every CORS answer to an allowed origin carries. */
function allowHeadersFor(allowOrigin: string, policy: CorsPolicy, headers: Headers): void {
  headers.set("access-control-allow-origin", allowOrigin);
  if (policy.credentials) headers.set("access-control-allow-credentials", "true");
  if (!policy.rules.any) addVary(headers, "Origin");
}

function preflight(request: Request, policy: CorsPolicy, pathMethods: string): Response | undefined {
  const allowOrigin = allowedOrigin(request.headers.get("origin"), policy.rules);
  const method = request.headers.get("access-control-request-method")?.toUpperCase();
  if (!allowOrigin || !method) return undefined;
  const methods = policy.methods ?? pathMethods.split(/,\s*/);
  if (!methods.some((allowed) => allowed.toUpperCase() === method)) return undefined;

  const headers = new Headers();
  allowHeadersFor(allowOrigin, policy, headers);
  headers.set("access-control-allow-methods", methods.join(", "));
  if (policy.anyHeader) {
    // Named back rather than answered with "*", which browsers ignore with credentials.
    const requested = request.headers.get("access-control-request-headers");
    if (requested) headers.set("access-control-allow-headers", requested);
    addVary(headers, "Access-Control-Request-Headers");
  } else if (policy.allowHeaders) {
    headers.set("access-control-allow-headers", policy.allowHeaders);
  }
  headers.set("access-control-max-age", policy.maxAge);
  return new Response(null, { status: 204, headers });
}

function finish(response: Response, request: Request, policy: CorsPolicy): Response {
  // A WebSocket upgrade cannot be copied into a new Response.
  if (response.status === 101) return response;
  const headers = new Headers(response.headers);
  // The gateway owns CORS for this operation: an upstream's own answer would contradict it.
  for (const name of [...headers.keys()]) if (name.startsWith("access-control-")) headers.delete(name);
  const allowOrigin = allowedOrigin(request.headers.get("origin"), policy.rules);
  if (allowOrigin) {
    allowHeadersFor(allowOrigin, policy, headers);
    if (policy.exposeHeaders) headers.set("access-control-expose-headers", policy.exposeHeaders);
  } else if (!policy.rules.any) {
    addVary(headers, "Origin");
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export const cors = defineBuiltin<CorsOptions>({
  create({ options: settings }) {
    const policy = policyOf(settings);
    return {
      preflight: (request, pathMethods) => preflight(request, policy, pathMethods),
      finish: (response, request) => finish(response, request, policy),
    };
  },
});
