/**
 * @module
 * `${env.NAME}` and `${params.name}` in x-portico values. The compiler checks
 * every template at build time; here they are only filled in.
 */

/** Matches one `${env.NAME}` or `${params.name}`; the compiler uses the same pattern. */
export const TEMPLATE_PATTERN = /\$\{(env|params)\.([^}]*)\}/g;

/** Thrown when a Worker var or secret named in the spec is missing at run time. */
export class MissingEnvError extends Error {
  override name = "MissingEnvError";
  readonly variable: string;
  constructor(variable: string) {
    super(`The Worker var or secret "${variable}" is not set`);
    this.variable = variable;
  }
}

function fillEnv(text: string, env: Record<string, unknown>): string {
  return text.replace(TEMPLATE_PATTERN, (whole, source: string, name: string) => {
    if (source !== "env") return whole; // `${params.x}` is filled per request
    const value = env[name];
    if (typeof value !== "string") throw new MissingEnvError(name);
    return value;
  });
}

/** Fills every `${env.X}` in a JSON value, leaving `${params.x}` for the request. */
export function resolveEnv<T>(value: T, env: Record<string, unknown>): T {
  if (typeof value === "string") return fillEnv(value, env) as T;
  if (Array.isArray(value)) return value.map((item) => resolveEnv(item, env)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = resolveEnv(item, env);
    return out as T;
  }
  return value;
}

/** Appends the caller's query to a URL, byte for byte and in order, after any query it has. */
export function withCallerQuery(base: string, request: Request): string {
  const url = request.url;
  const queryStart = url.indexOf("?");
  if (queryStart < 0) return base;
  const query = url.slice(queryStart + 1).split("#")[0];
  if (!query) return base;
  return base + (base.includes("?") ? "&" : "?") + query;
}

/** Whether a parameter value would be read as a dot-segment by a URL parser. */
function isDotSegment(value: string): boolean {
  return value === "." || value === "..";
}

/** Thrown when a path parameter could change the shape of the upstream URL. */
export class UnsafeParamError extends Error {
  override name = "UnsafeParamError";
  readonly param: string;
  constructor(param: string) {
    super(`Path parameter "${param}" is a dot-segment`);
    this.param = param;
  }
}

/**
 * Fills `${params.x}` with the percent-encoded value, so that a parameter can
 * never add a path segment, a query, or change the host: `../` arrives as `..%2F`.
 */
export function fillParams(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(TEMPLATE_PATTERN, (whole, source: string, name: string) => {
    if (source !== "params") return whole;
    const value = params[name] ?? "";
    if (isDotSegment(value)) throw new UnsafeParamError(name);
    return encodeURIComponent(value);
  });
}
