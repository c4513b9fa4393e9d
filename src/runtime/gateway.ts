/**
 * @module
 * Turns the compiled route table into a Hono app: router match (404, 405 with
 * Allow), then the operation's pipeline.
 */
import { Hono } from "hono";
import type { Context as HonoContext } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { mountAdmin } from "./admin.ts";
import { refuseAmbiguous } from "./ambiguous-request.ts";
import type { Env } from "./builtin.ts";
import { createContext, finishResponse } from "./context.ts";
import { DEFAULT_PROBLEM_BASE, PROBLEM, problem, type ProblemBase } from "./errors.ts";
import { withoutHopByHopOrOverrides } from "./headers.ts";
import { createLogger, describeError } from "./log.ts";
import { errorResponse, runFinish, runOperation } from "./pipeline.ts";
import type { CompiledPath, RouteTable } from "./route-table.ts";
import { stepsOf, type OperationSteps } from "./setup.ts";
import { NO_TELEMETRY } from "./telemetry/config.ts";
import { finishTelemetry } from "./telemetry/finish.ts";
import { attachTelemetry, RequestTelemetry } from "./telemetry/request-telemetry.ts";

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

/** The route's parameters under an operation's own names (CompiledOperation.renamedParams). */
function renamed(params: Record<string, string>, names: ReadonlyArray<[string, string]>): Record<string, string> {
  const own = { ...params };
  for (const [route, name] of names) {
    own[name] = params[route];
    delete own[route];
  }
  return own;
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

/** What every request of a route table shares: where problem types point, and whether `npm run dev` built it. */
interface Served {
  base: ProblemBase;
  dev: boolean;
}

/** Each request's telemetry, by the request Hono was given (the same object in every handler). */
const telemetries = new WeakMap<Request, RequestTelemetry>();

function telemetryOfRequest(c: HonoContext): RequestTelemetry {
  return telemetries.get(c.req.raw)!;
}

async function dispatch(c: HonoContext, entry: CompiledPath, readParams: ParamReader, allow: string, { base, dev }: Served): Promise<Response> {
  const method = c.req.raw.method.toUpperCase();
  const headAsGet = method === "HEAD" && !entry.operations.HEAD && entry.operations.GET;
  const op = entry.operations[headAsGet ? "GET" : method];
  const request = withoutHopByHopOrOverrides(c.req.raw, op?.upgrade);
  const telemetry = telemetryOfRequest(c);
  const { requestId, traceId } = telemetry;
  const env = (c.env ?? {}) as Env;
  if (method === "OPTIONS") {
    const preflight = answerPreflight(request, entry, env, allow);
    if (preflight) return preflight;
  }
  if (!op) {
    if (method === "OPTIONS") return new Response(null, { status: 204, headers: { allow } });
    return problem(PROBLEM.methodNotAllowed, {
      detail: `${method} is not allowed here. Allowed: ${allow}.`,
      instance: c.req.path,
      requestId,
      traceId,
      headers: { allow },
      base,
    });
  }
  telemetry.route = op.route.path;
  telemetry.operationId = op.route.operationId;
  const ctx = createContext({
    route: op.route,
    params: op.renamedParams ? renamed(readParams(c), op.renamedParams) : readParams(c),
    env,
    requestId,
    waitUntil: waitUntilOf(c),
    dev,
    startedAt: telemetry.startedAt,
    trace: { traceId, spanId: telemetry.spanId, sampled: telemetry.sampled },
  });
  attachTelemetry(ctx, telemetry);
  let steps: OperationSteps | undefined;
  let response: Response;
  try {
    steps = stepsOf(op, env);
    response = refuseAmbiguous(request, entry, op, { requestId, traceId }, base) ?? (await runOperation(steps, request, ctx, base));
  } catch (error) {
    // Setting up failed (a missing ${env.X}): the 500 says so, with no finish steps.
    response = errorResponse(error, request, ctx, base);
  }
  response = runFinish(steps, finishResponse(response, ctx), request, ctx);
  return headAsGet ? new Response(null, response) : response;
}

/** A CORS preflight, answered by the requested operation's preflight step before any policy runs. */
function answerPreflight(request: Request, entry: CompiledPath, env: Env, allow: string): Response | undefined {
  const requested = request.headers.get("access-control-request-method")?.toUpperCase();
  if (!requested || !request.headers.has("origin")) return undefined;
  const op = entry.operations[requested] ?? (requested === "HEAD" ? entry.operations.GET : undefined);
  if (!op) return undefined;
  try {
    return stepsOf(op, env).preflight?.(request, allow);
  } catch {
    return undefined; // a missing ${env.X}: the request goes on to the 500 that says so
  }
}

/** The Worker's fetch handler for a compiled route table. */
export function createGateway(table: RouteTable): Hono {
  // TrieRouter: RegExpRouter rejects `/issues/comments` beside `/issues/:n`.
  const app = new Hono({ router: new TrieRouter() });
  const base = table.problemBase ?? DEFAULT_PROBLEM_BASE;
  const dev = table.dev === true;
  const served: Served = { base, dev };
  const telemetryConfig = table.telemetry ?? NO_TELEMETRY;
  // Every answer, the router's 404 and the admin routes' included, has its trace headers and access line.
  app.use(async (c, next) => {
    const telemetry = new RequestTelemetry(telemetryConfig, c.req.raw);
    telemetries.set(c.req.raw, telemetry);
    await next();
    c.res = finishTelemetry(telemetry, { request: c.req.raw, response: c.res, env: (c.env ?? {}) as Env, waitUntil: waitUntilOf(c), dev });
  });
  mountAdmin(app, table.admin ?? []);
  for (const entry of table.paths) {
    const readParams = paramReader(entry);
    const allow = allowedMethods(entry);
    app.all(entry.pattern, (c) => dispatch(c, entry, readParams, allow, served));
  }
  app.get("/openapi.json", () => new Response(table.publicSpec, { headers: { "content-type": "application/json" } }));
  app.notFound((c) => {
    const { requestId, traceId } = telemetryOfRequest(c);
    return problem(PROBLEM.notFound, { detail: `No operation matches ${c.req.method} ${c.req.path}.`, instance: c.req.path, requestId, traceId, base });
  });
  app.onError((error, c) => {
    const { requestId, traceId } = telemetryOfRequest(c);
    createLogger({ requestId }, { readableStacks: served.dev }).error("router error", describeError(error));
    return problem(PROBLEM.internal, { detail: `Quote requestId ${requestId}.`, instance: c.req.path, requestId, traceId, base });
  });
  return app;
}
