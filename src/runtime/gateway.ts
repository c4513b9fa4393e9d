/**
 * @module
 * Turns the compiled route table into the Worker's fetch handler: router
 * match (404, 405 with Allow), then the operation's pipeline, and around
 * every answer the request's telemetry. What can be worked out from the
 * route table is worked out here, once: each route's Allow header, how its
 * parameters are read, and, per env, its steps.
 */
import { mountAdmin } from "./admin.ts";
import { refuseAmbiguous } from "./ambiguous-request.ts";
import type { Env } from "./builtin.ts";
import { CHECKED, finishResponse, RequestContext } from "./context.ts";
import { DEFAULT_PROBLEM_BASE, PROBLEM, problem, type ProblemBase } from "./errors.ts";
import { withoutHopByHopOrOverrides } from "./headers.ts";
import { createLogger, describeError } from "./log.ts";
import { errorResponse, runFinish, runOperation } from "./pipeline.ts";
import type { CompiledOperation, CompiledPath, RouteTable } from "./route-table.ts";
import { portalNotFound } from "./portal-not-found.ts";
import { decodedParams, Passage, Router, type RawParams } from "./router.ts";
import { segmentMatcher } from "./segment-match.ts";
import { stepsOf, type OperationSteps } from "./setup.ts";
import { NO_TELEMETRY } from "./telemetry/config.ts";
import { TelemetryOutput } from "./telemetry/finish.ts";
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

/** How a path's parameters are read: the router's, decoded, or those of a template with mixed segments; undefined when the path does not match after all. */
type ParamReader = (request: Request, matched: RawParams) => Record<string, string> | undefined;

const routerParams: ParamReader = (_request, matched) => decodedParams(matched);

function paramReader(entry: CompiledPath): ParamReader {
  if (!entry.segmentTemplate) return routerParams;
  const match = segmentMatcher(entry.segmentTemplate);
  return (request) => {
    const params = match(new URL(request.url).pathname);
    return params && Object.fromEntries(params.map(([name, raw]) => [name, decodeOrKeep(raw)]));
  };
}

/** One operation, with its steps for the last env it ran in: workerd hands the same env to every request of an isolate. */
class Operation {
  readonly op: CompiledOperation;
  #env: Env | undefined = undefined;
  #steps: OperationSteps | undefined = undefined;

  constructor(op: CompiledOperation) {
    this.op = op;
  }

  /** Its steps in `env`, set up on first use (throws MissingEnvError for a `${env.X}` the env lacks). */
  stepsIn(env: Env): OperationSteps {
    if (this.#env !== env || !this.#steps) {
      this.#steps = stepsOf(this.op, env);
      this.#env = env;
    }
    return this.#steps;
  }
}

/** One path of the route table, with what its requests share. */
class Route {
  readonly entry: CompiledPath;
  readonly allow: string;
  readonly readParams: ParamReader;
  /** By method, as the route table has them (no prototype: a method is never read as one of Object's keys). */
  readonly operations: Partial<Record<string, Operation>> = Object.create(null);

  constructor(entry: CompiledPath) {
    this.entry = entry;
    this.allow = allowedMethods(entry);
    this.readParams = paramReader(entry);
    for (const [method, op] of Object.entries(entry.operations)) this.operations[method] = new Operation(op);
  }
}

/** The env of a call without one (a test's): one object, so its steps are set up once too. */
const NO_ENV: Env = Object.freeze({});

/** What every request of a route table shares: where problem types point, and whether `npm run dev` built it. */
interface Served {
  base: ProblemBase;
  dev: boolean;
}

/** The route's answer, or undefined when its template has mixed segments that the path does not match after all. */
async function dispatch(passage: Passage, matched: RawParams, route: Route, { base, dev }: Served): Promise<Response | undefined> {
  const { request: raw, telemetry, env } = passage;
  const params = route.readParams(raw, matched);
  if (!params) return undefined;
  const method = passage.method.toUpperCase();
  const { entry, allow, operations } = route;
  const headAsGet = method === "HEAD" && !operations.HEAD && operations.GET !== undefined;
  const operation = operations[headAsGet ? "GET" : method];
  const op = operation?.op;
  const request = withoutHopByHopOrOverrides(raw, op?.upgrade);
  const { requestId, traceId } = telemetry;
  if (method === "OPTIONS") {
    const preflight = answerPreflight(request, route, env);
    if (preflight) return preflight;
  }
  if (!operation || !op) {
    if (method === "OPTIONS") return new Response(null, { status: 204, headers: { allow } });
    return problem(PROBLEM.methodNotAllowed, {
      detail: `${method} is not allowed here. Allowed: ${allow}.`,
      instance: passage.path,
      requestId,
      traceId,
      headers: { allow },
      base,
    });
  }
  telemetry.route = op.route.path;
  telemetry.operationId = op.route.operationId;
  const ctx = new RequestContext({
    route: op.route,
    params: op.renamedParams ? renamed(params, op.renamedParams) : params,
    env,
    requestId,
    waitUntil: passage.waitUntil,
    dev,
    startedAt: telemetry.startedAt,
    trace: { traceId, spanId: telemetry.spanId, sampled: telemetry.sampled },
  });
  attachTelemetry(ctx, telemetry);
  if (request === raw) ctx[CHECKED] = raw;
  let steps: OperationSteps | undefined;
  let response: Response;
  try {
    steps = operation.stepsIn(env);
    response = refuseAmbiguous(request, entry, op, { requestId, traceId }, base) ?? (await runOperation(steps, request, ctx, base));
  } catch (error) {
    // Setting up failed (a missing ${env.X}): the 500 says so, with no finish steps.
    response = errorResponse(error, request, ctx, base);
  }
  // A HEAD request's answer loses its body in the gateway's fetch, whichever route gave it.
  return runFinish(steps, finishResponse(response, ctx), request, ctx);
}

/** A CORS preflight, answered by the requested operation's preflight step before any policy runs. */
function answerPreflight(request: Request, route: Route, env: Env): Response | undefined {
  const requested = request.headers.get("access-control-request-method")?.toUpperCase();
  if (!requested || !request.headers.has("origin")) return undefined;
  const operation = route.operations[requested] ?? (requested === "HEAD" ? route.operations.GET : undefined);
  if (!operation) return undefined;
  try {
    return operation.stepsIn(env).preflight?.(request, route.allow);
  } catch {
    return undefined; // a missing ${env.X}: the request goes on to the 500 that says so
  }
}

/** The Worker's fetch handler: what src/worker.ts exports as default. */
export interface Gateway {
  fetch(request: Request, env?: unknown, execution?: ExecutionContext): Promise<Response>;
}

/** The Worker's fetch handler for a compiled route table. */
export function createGateway(table: RouteTable): Gateway {
  const router = new Router();
  const base = table.problemBase ?? DEFAULT_PROBLEM_BASE;
  const dev = table.dev === true;
  const served: Served = { base, dev };
  const telemetryConfig = table.telemetry ?? NO_TELEMETRY;
  const output = new TelemetryOutput(telemetryConfig, dev);
  mountAdmin(router, table.admin ?? []);
  // Mounts call the gateway only while serving, once `gateway` below is set.
  const self: Gateway = { fetch: (request, env, execution) => gateway.fetch(request, env, execution) };
  for (const mount of table.mounts ?? []) mount(router, self);
  for (const entry of table.paths) {
    // Made on the path's first request: most paths of a large API are never called in an isolate's life.
    let route: Route | undefined;
    router.add("ALL", entry.pattern, (passage, matched) => dispatch(passage, matched, (route ??= new Route(entry)), served));
  }
  router.add("GET", "/openapi.json", () => new Response(table.publicSpec, { headers: { "content-type": "application/json" } }));

  const notFound = ({ method, path, telemetry }: Passage) =>
    problem(PROBLEM.notFound, {
      detail: `No operation matches ${method} ${path}.`,
      instance: path,
      requestId: telemetry.requestId,
      traceId: telemetry.traceId,
      base,
    });
  const routerError = (error: unknown, { path, telemetry }: Passage) => {
    const { requestId, traceId } = telemetry;
    createLogger({ requestId }, { readableStacks: dev }).error("router error", describeError(error));
    return problem(PROBLEM.internal, { detail: `Quote requestId ${requestId}.`, instance: path, requestId, traceId, base });
  };

  const gateway: Gateway = {
    // Every answer, the router's 404 and the admin routes' included, has its trace headers and access line.
    async fetch(request, env, execution) {
      const telemetry = new RequestTelemetry(telemetryConfig, request);
      const passage = new Passage(request, (env ?? NO_ENV) as Env, telemetry, execution);
      let response: Response;
      try {
        response = (await router.answer(passage)) ?? (await portalNotFound(request, passage.path, passage.env, table.portalBase)) ?? notFound(passage);
      } catch (error) {
        response = routerError(error, passage);
      }
      if (passage.method === "HEAD") response = new Response(null, response);
      return output.finish(telemetry, request, response, passage.env, passage.waitUntil);
    },
  };
  return gateway;
}
