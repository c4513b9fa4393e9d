/**
 * @module
 * The run-time half of a built-in: a set-up step, called once per instance
 * and env, that turns the instance's options (with `${env.X}` filled in) and
 * the data its build step prepared into the hooks the pipeline runs. Work
 * that depends only on the options (parsing origins, compiling rules) is done
 * there, once, not per request; a hook a built-in leaves out costs nothing.
 */
import type { GatewayContext } from "./types.ts";

export type Env = Record<string, unknown>;

/** What a built-in's `create` is given. */
export interface Setup<Options, Prepared> {
  /** The instance's name in the spec: a named policy's name, else the built-in's own. */
  readonly name: string;
  /** The options as written in the spec, filled with the schema's defaults and the env's values. */
  readonly options: Options;
  /** What the built-in's build step worked out from the document; never template-filled. */
  readonly prepared: Prepared;
  readonly env: Env;
}

/** The steps one instance takes part in; each is optional. */
export interface Hooks {
  /** Before the handler: a Request to go on with, or a Response that ends the request. */
  inbound?(request: Request, ctx: GatewayContext): Request | Response | Promise<Request | Response>;
  /** The handler: turns the request into a response. */
  handle?(request: Request, ctx: GatewayContext): Response | Promise<Response>;
  /** After the handler, on the handler's answer or an inbound step's early one. */
  outbound?(response: Response, request: Request, ctx: GatewayContext): Response | Promise<Response>;
  /**
   * Answers a CORS preflight (OPTIONS with Access-Control-Request-Method) for
   * the operation, before any policy runs; undefined lets the router answer.
   * `allow` lists the path's methods.
   */
  preflight?(request: Request, allow: string): Response | undefined;
  /**
   * Runs on every response of the operation, after the outbound chain:
   * the handler's, early answers and the gateway's own problems alike.
   */
  finish?(response: Response, request: Request, ctx: GatewayContext): Response;
}

/** A route under /_portico/<built-in>/, open only to a caller bearing PORTICO_ADMIN_TOKEN. */
export interface AdminRoute<Options, Prepared> {
  /** GET (the default) to read, POST to act, such as a cache purge. */
  method?: "GET" | "POST";
  /** Below the built-in's base, in Hono syntax: `/:consumer`. */
  path: string;
  /** The answer; `instances` are every instance of the built-in in the route table, set up for this env. */
  answer(request: Request, params: Record<string, string>, env: Env, instances: ReadonlyArray<Setup<Options, Prepared>>): Promise<Response>;
}

export interface Builtin<Options = unknown, Prepared = unknown> {
  create(setup: Setup<Options, Prepared>): Hooks;
  /** Routes of its own under /_portico/<name>/, mounted when the route table uses the built-in. */
  admin?: ReadonlyArray<AdminRoute<Options, Prepared>>;
}

/**
 * Declares a built-in's run-time module (its folder's `index.ts` default
 * export). The build-side descriptor in the same folder names this module.
 *
 * @example
 * ```ts
 * export default defineBuiltin<RequestIdOptions>({
 *   create({ options }) {
 *     return { inbound: (request, ctx) => request };
 *   },
 * });
 * ```
 */
export function defineBuiltin<Options, Prepared = undefined>(builtin: Builtin<Options, Prepared>): Builtin<Options, Prepared> {
  return Object.freeze(builtin);
}
