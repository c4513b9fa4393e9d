/**
 * @module
 * policies/zuplo/runtime.ts, the stand-in for the part of `@zuplo/runtime`
 * that custom modules use and that maps cleanly onto Portico's context
 * (written from Zuplo's documented API: ZuploRequest's `params`, `query`,
 * `user`; ZuploContext's `log`, `waitUntil`, `requestId`, `route`, `custom`;
 * `environment`; `HttpProblems`), and the names it provides, which the
 * import checks the modules against.
 */

/** What policies/zuplo/runtime.ts exports; a module importing anything else from @zuplo/runtime is reported. */
export const SHIM_EXPORTS = ["ZuploRequest", "ZuploContext", "ZuploUser", "environment", "CustomRateLimitDetails", "HttpProblems", "ProblemDetails"];

/** HttpProblems' methods the stand-in has: Zuplo names each after its status phrase (docs/programmable-api/http-problems). */
const PROBLEM_METHODS: Record<string, [number, string]> = {
  badRequest: [400, "Bad Request"],
  unauthorized: [401, "Unauthorized"],
  forbidden: [403, "Forbidden"],
  notFound: [404, "Not Found"],
  methodNotAllowed: [405, "Method Not Allowed"],
  notAcceptable: [406, "Not Acceptable"],
  conflict: [409, "Conflict"],
  gone: [410, "Gone"],
  preconditionFailed: [412, "Precondition Failed"],
  unsupportedMediaType: [415, "Unsupported Media Type"],
  tooManyRequests: [429, "Too Many Requests"],
  internalServerError: [500, "Internal Server Error"],
  notImplemented: [501, "Not Implemented"],
  badGateway: [502, "Bad Gateway"],
  serviceUnavailable: [503, "Service Unavailable"],
  gatewayTimeout: [504, "Gateway Timeout"],
};

/** Members of the objects a module is handed that the stand-in provides; any other use is reported (member-scan.ts). */
export const SHIM_MEMBERS: Record<string, string[]> = {
  // A Request's own members (Fetch standard, plus Workers' cf) and what ZuploRequest adds.
  request: [
    ..."method url headers body bodyUsed arrayBuffer blob bytes formData json text clone signal redirect cache credentials".split(" "),
    ..."destination integrity keepalive mode referrer referrerPolicy duplex cf params query user".split(" "),
  ],
  context: ["requestId", "route", "log", "custom", "waitUntil"],
  HttpProblems: Object.keys(PROBLEM_METHODS),
};

/** One line of the stand-in's HttpProblems per method. */
const PROBLEM_LINES = Object.entries(PROBLEM_METHODS)
  .map(([name, [status, title]]) => `  ${name}: problemMethod(${status}, ${JSON.stringify(title)}),`)
  .join("\n");

export const RUNTIME_SHIM = `/**
 * The part of Zuplo's \`@zuplo/runtime\` the imported modules use, on Portico's
 * context. Written by \`portico import zuplo\`; imported modules read it where
 * they imported @zuplo/runtime.
 */
import { problem, type Context, type ProblemKind } from "portico";

/** request.user: what authentication proved (sub) and the consumer's metadata (data). */
export interface ZuploUser {
  sub: string;
  data: Record<string, unknown>;
}

export class ZuploRequest extends Request {
  params: Record<string, string> = {};
  user: ZuploUser | undefined;
  readonly query: Record<string, string>;
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    if (input instanceof ZuploRequest) {
      this.params = input.params;
      this.user = input.user;
    }
    this.query = Object.fromEntries(new URL(this.url).searchParams);
  }
}

type LogMethod = (...values: unknown[]) => void;

export interface ZuploContext {
  readonly requestId: string;
  readonly route: { path: string; method: string; operationId: string };
  readonly log: { debug: LogMethod; info: LogMethod; warn: LogMethod; error: LogMethod };
  readonly custom: Record<string, unknown>;
  waitUntil(promise: Promise<unknown>): void;
}

export interface CustomRateLimitDetails {
  key: string;
  requestsAllowed?: number;
  timeWindowMinutes?: number;
}

/** The Worker's vars and secrets (strings), filled on the first request. */
export const environment: Record<string, string | undefined> = {};
let environmentFilled = false;

function fillEnvironment(env: Record<string, unknown>): void {
  if (environmentFilled) return;
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") environment[name] = value;
  environmentFilled = true;
}

export function zuploRequest(request: Request, ctx: Context): ZuploRequest {
  fillEnvironment(ctx.env);
  const adapted = new ZuploRequest(request);
  adapted.params = { ...ctx.params };
  adapted.user = ctx.consumer && { sub: ctx.consumer.id, data: ctx.consumer.metadata };
  return adapted;
}

const text = (values: unknown[]) => values.map((value) => (typeof value === "string" ? value : JSON.stringify(value))).join(" ");

export function zuploContext(ctx: Context): ZuploContext {
  fillEnvironment(ctx.env);
  // One bag entry, so the policies and the handler of a request share context.custom as on Zuplo.
  let custom = ctx.bag.get("zuplo.custom") as Record<string, unknown> | undefined;
  if (!custom) ctx.bag.set("zuplo.custom", (custom = {}));
  return {
    requestId: ctx.requestId,
    route: ctx.route,
    custom,
    log: {
      debug: (...values) => ctx.log.debug(text(values)),
      info: (...values) => ctx.log.info(text(values)),
      warn: (...values) => ctx.log.warn(text(values)),
      error: (...values) => ctx.log.error(text(values)),
    },
    waitUntil: (promise) => ctx.waitUntil(promise),
  };
}

/** A handler may answer with a Response or with any value, sent as JSON. */
export function zuploResponse(value: unknown): Response {
  if (value instanceof Response) return value;
  if (typeof value === "string") return new Response(value, { headers: { "content-type": "text/plain;charset=UTF-8" } });
  return Response.json(value);
}

/** RFC 9457 problem details; a module's overrides are merged into the body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  [member: string]: unknown;
}

type ProblemMethod = (request: Request, context: ZuploContext, overrides?: Partial<ProblemDetails>, additionalHeaders?: HeadersInit) => Response;

/** Portico's problem+json (with the request's requestId), so a module's errors look like the gateway's own. */
function problemMethod(status: number, title: string): ProblemMethod {
  return (request, context, overrides = {}, additionalHeaders) => {
    // The body's status stays the response's: a problem whose two statuses differ misleads clients (RFC 9457 §3.1.2).
    const { status: _status, detail, instance, ...members } = overrides;
    // problem() is typed for the gateway's own kinds; this one has their shape, for a status the module chose.
    const kind = { status, title, type: \`status-\${status}\`, explanation: title } as unknown as ProblemKind;
    const init = { detail: detail ?? title, instance: instance ?? new URL(request.url).pathname, requestId: context.requestId };
    return problem(kind, { ...init, headers: additionalHeaders, extra: members });
  };
}

/** Zuplo's HttpProblems: (request, context, overrides?, additionalHeaders?) => an application/problem+json Response. */
export const HttpProblems = {
${PROBLEM_LINES}
};

/** Options as policies.json wrote them, with each $env(NAME) read from the Worker's vars. */
export function withEnv<T>(options: T, env: Record<string, unknown>): T {
  return JSON.parse(JSON.stringify(options), (_key, value) =>
    typeof value === "string" ? value.replace(/\\$env\\(([A-Za-z_][A-Za-z0-9_]*)\\)/g, (_m, name: string) => String(env[name] ?? "")) : value,
  );
}
`;
