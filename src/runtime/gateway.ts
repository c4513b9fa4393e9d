/**
 * @module
 * Turns the compiled route table into a Hono app: router match (404, 405 with
 * Allow), then the operation's pipeline.
 */
import { Hono } from "hono";
import type { Context as HonoContext } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { createContext, finishResponse } from "./context.ts";
import { PROBLEM, problem } from "./errors.ts";
import { withoutHopByHopRequest } from "./headers.ts";
import { createLogger, describeError } from "./log.ts";
import { errorResponse, runOperation } from "./pipeline.ts";
import type { CompiledOperation, CompiledPath, RouteTable } from "./route-table.ts";
import { resolveEnv } from "./templates.ts";

type Env = Record<string, unknown>;

/**
 * Options hold `${env.X}` until the first request of an isolate brings the env;
 * they are filled once per env object, never per request.
 */
const resolvedByEnv = new WeakMap<object, Map<CompiledOperation, CompiledOperation>>();

function withEnv(op: CompiledOperation, env: Env): CompiledOperation {
  let cache = resolvedByEnv.get(env);
  if (!cache) resolvedByEnv.set(env, (cache = new Map()));
  let resolved = cache.get(op);
  if (!resolved) {
    const fill = <T extends { options: unknown; prepared?: Record<string, unknown> }>(instance: T): T => {
      const options = resolveEnv(instance.options, env);
      return { ...instance, options: instance.prepared ? { ...(options as object), ...instance.prepared } : options };
    };
    const handler = fill(op.handler);
    resolved = { ...op, inbound: op.inbound.map(fill), handler, outbound: op.outbound.map(fill) };
    cache.set(op, resolved);
  }
  return resolved;
}

function allowedMethods(entry: CompiledPath): string {
  const methods = new Set(Object.keys(entry.operations));
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  return [...methods].sort().join(", ");
}

/** Bad percent-encoding stays as sent (as Hono does), for validation to refuse rather than a throw. */
function decodeOrKeep(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** How a path's parameters are read: Hono's own, or the compiled regex of a mixed segment. */
type ParamReader = (c: HonoContext) => Record<string, string>;

function paramReader(entry: CompiledPath): ParamReader {
  if (!entry.segmentMatch) return (c) => c.req.param() as Record<string, string>;
  const { names } = entry.segmentMatch;
  const pattern = new RegExp(entry.segmentMatch.source);
  return (c) => {
    const match = pattern.exec(new URL(c.req.url).pathname);
    return Object.fromEntries(names.map((name, i) => [name, decodeOrKeep(match?.[i + 1] ?? "")]));
  };
}

function waitUntilOf(c: HonoContext): (promise: Promise<unknown>) => void {
  try {
    const execution = c.executionCtx;
    return (promise) => execution.waitUntil(promise);
  } catch {
    return (promise) => void promise.catch(() => {});
  }
}

/**
 * What the cors policy's module carries under a registry symbol: the router
 * answers preflights and finishes responses with it without importing the
 * policy, so its code is bundled only when a route uses it.
 */
const CORS_SUPPORT = Symbol.for("portico.cors");

export interface CorsSupport {
  /** The answer to a preflight from an allowed origin for an allowed method; undefined otherwise. */
  preflight(request: Request, options: unknown, pathMethods: string): Response | undefined;
  /** `response` with the CORS headers for the origin of `request`. */
  finish(response: Response, request: Request, options: unknown): Response;
}

/** The operation's cors instance: its own (last in inbound) before the gateway's, else one in outbound. */
function corsOf(op: CompiledOperation): { support: CorsSupport; options: unknown } | undefined {
  const supportOf = (module: object) => (module as { [CORS_SUPPORT]?: CorsSupport })[CORS_SUPPORT];
  const instance = op.inbound.findLast((i) => supportOf(i.module)) ?? op.outbound.find((i) => supportOf(i.module));
  return instance && { support: supportOf(instance.module)!, options: instance.options };
}

/** A CORS preflight for an operation of this path that uses cors, answered before any policy runs. */
function corsPreflight(request: Request, entry: CompiledPath, env: Env, allow: string): Response | undefined {
  const requested = request.headers.get("access-control-request-method")?.toUpperCase();
  if (!requested || !request.headers.has("origin")) return undefined;
  const op = entry.operations[requested] ?? (requested === "HEAD" ? entry.operations.GET : undefined);
  const cors = op && corsOf(withEnv(op, env));
  return cors?.support.preflight(request, cors.options, allow);
}

/** Every response of an operation that uses cors carries its headers, errors and early answers too. */
function withCors(op: CompiledOperation, env: Env, request: Request, response: Response): Response {
  let cors: ReturnType<typeof corsOf>;
  try {
    cors = corsOf(withEnv(op, env));
  } catch {
    return response; // a missing ${env.X}: the response already is the 500 that says so
  }
  return cors ? cors.support.finish(response, request, cors.options) : response;
}

/**
 * What the quota policy's module carries under a registry symbol: the
 * gateway's admin endpoint reads quota usage through it, so neither the
 * endpoint nor quota code is bundled unless a route uses quota.
 */
const QUOTA_SUPPORT = Symbol.for("portico.quota");

export interface QuotaSupport {
  /** The answer to GET /_portico/quota/<consumer id> over these quota options; undefined unless the caller is the admin. */
  usage(request: Request, consumerId: string, env: Env, instances: () => unknown[]): Promise<Response | undefined>;
}

/**
 * Mounts /_portico/quota/:consumer when a route uses quota, before the
 * document's routes: a caller without the admin token falls through to them
 * (or a 404), and no spec path can catch the admin's token.
 */
function mountQuotaUsage(app: Hono, table: RouteTable): void {
  const supportOf = (module: object) => (module as { [QUOTA_SUPPORT]?: QuotaSupport })[QUOTA_SUPPORT];
  const operations = table.paths.flatMap((entry) => Object.values(entry.operations));
  const found = operations.flatMap((op) => op.inbound).find((instance) => supportOf(instance.module));
  if (!found) return;
  const support = supportOf(found.module)!;
  app.get("/_portico/quota/:consumer", async (c, next) => {
    const env = (c.env ?? {}) as Env;
    const instances = () => operations.flatMap((op) => withEnv(op, env).inbound.filter((instance) => supportOf(instance.module)).map((instance) => instance.options));
    const answer = await support.usage(c.req.raw, c.req.param("consumer"), env, instances);
    if (answer) return answer;
    await next();
  });
}

async function dispatch(c: HonoContext, entry: CompiledPath, readParams: ParamReader, allow: string): Promise<Response> {
  const request = withoutHopByHopRequest(c.req.raw);
  const requestId = crypto.randomUUID();
  const method = request.method.toUpperCase();
  if (method === "OPTIONS") {
    const preflight = corsPreflight(request, entry, (c.env ?? {}) as Env, allow);
    if (preflight) return preflight;
  }
  const headAsGet = method === "HEAD" && !entry.operations.HEAD && entry.operations.GET;
  const op = entry.operations[headAsGet ? "GET" : method];
  if (!op) {
    if (method === "OPTIONS") return new Response(null, { status: 204, headers: { allow } });
    return problem(PROBLEM.methodNotAllowed, {
      detail: `${method} is not allowed here. Allowed: ${allow}.`,
      instance: c.req.path,
      requestId,
      headers: { allow },
    });
  }
  const env = (c.env ?? {}) as Env;
  const ctx = createContext({
    route: op.route,
    params: readParams(c),
    env,
    requestId,
    waitUntil: waitUntilOf(c),
  });
  let response: Response;
  try {
    response = await runOperation(withEnv(op, env), request, ctx);
  } catch (error) {
    response = errorResponse(error, request, ctx);
  }
  response = withCors(op, env, request, finishResponse(response, ctx));
  return headAsGet ? new Response(null, response) : response;
}

/** The Worker's fetch handler for a compiled route table. */
export function createGateway(table: RouteTable): Hono {
  // TrieRouter: RegExpRouter rejects `/issues/comments` beside `/issues/:n`.
  const app = new Hono({ router: new TrieRouter() });
  mountQuotaUsage(app, table);
  for (const entry of table.paths) {
    const readParams = paramReader(entry);
    const allow = allowedMethods(entry);
    app.all(entry.pattern, (c) => dispatch(c, entry, readParams, allow));
  }
  app.get("/openapi.json", () => new Response(table.publicSpec, { headers: { "content-type": "application/json" } }));
  app.notFound((c) =>
    problem(PROBLEM.notFound, {
      detail: `No operation matches ${c.req.method} ${c.req.path}.`,
      instance: c.req.path,
      requestId: crypto.randomUUID(),
    }),
  );
  app.onError((error, c) => {
    const requestId = crypto.randomUUID();
    createLogger({ requestId }).error("router error", describeError(error));
    return problem(PROBLEM.internal, { detail: `Quote requestId ${requestId}.`, instance: c.req.path, requestId });
  });
  return app;
}
