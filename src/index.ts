/**
 * @module
 * The public "portico" entry: what user modules in policies/ import.
 * It has no side effects and nothing Node-specific, so it bundles into the Worker.
 */
import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import type { GatewayContext, HandlerModule, FinishHook, InboundHook, OutboundHook, PolicyModule, HandleHook } from "./runtime/types.ts";

export type { Consumer, GatewayContext, HandlerModule, Logger, PolicyModule, RouteInfo } from "./runtime/types.ts";

/** The options type a JSON Schema describes; `undefined` when there is none. */
type OptionsOf<S> = S extends JSONSchema ? FromSchema<S> : undefined;

export interface PolicyDefinition<S> {
  /** JSON Schema (2020-12) of the options; the build rejects options that break it. */
  options?: S;
  inbound?: InboundHook<OptionsOf<S>>;
  outbound?: OutboundHook<OptionsOf<S>>;
  /** Runs on every response of the operation, the gateway's own refusals included; see FinishHook. */
  finish?: FinishHook<OptionsOf<S>>;
}

export interface HandlerDefinition<S> {
  options?: S;
  handle: HandleHook<OptionsOf<S>>;
}

/**
 * Declares a policy: inbound and/or outbound hooks on web-standard Request and
 * Response. The options type is derived from the options schema.
 *
 * @example
 * ```ts
 * import { definePolicy } from "portico";
 * export default definePolicy({
 *   options: { type: "object", properties: { header: { type: "string" } },
 *              required: ["header"], additionalProperties: false },
 *   inbound(request, ctx, options) {
 *     return request.headers.has(options.header) ? request : new Response("no", { status: 400 });
 *   },
 * });
 * ```
 */
export function definePolicy<const S extends JSONSchema | undefined = undefined>(definition: PolicyDefinition<S>): PolicyModule<OptionsOf<S>> {
  if (!definition.inbound && !definition.outbound && !definition.finish) {
    throw new TypeError("definePolicy needs an inbound, outbound or finish hook");
  }
  return Object.freeze({ kind: "policy", ...definition }) as PolicyModule<OptionsOf<S>>;
}

/**
 * Declares a handler: the step that turns the request into a response.
 *
 * @example
 * ```ts
 * import { defineHandler } from "portico";
 * export default defineHandler({
 *   handle(request, ctx) {
 *     return Response.json({ hello: ctx.params.name });
 *   },
 * });
 * ```
 */
export function defineHandler<const S extends JSONSchema | undefined = undefined>(definition: HandlerDefinition<S>): HandlerModule<OptionsOf<S>> {
  if (typeof definition.handle !== "function") {
    throw new TypeError("defineHandler needs a handle function");
  }
  return Object.freeze({ kind: "handler", ...definition }) as HandlerModule<OptionsOf<S>>;
}

export type { GatewayContext as Context };

/**
 * Errors a policy or handler may throw to end the request with an RFC 9457
 * problem: the gateway renders it (with requestId and instance), and its
 * detail is what the client reads. Anything else thrown becomes a 500 whose
 * detail says nothing of the error.
 *
 * @example
 * ```ts
 * import { definePolicy, GatewayError, PROBLEM } from "portico";
 * export default definePolicy({
 *   inbound(request) {
 *     if (!request.headers.has("x-tenant")) throw new GatewayError(PROBLEM.badRequest, "Send X-Tenant.");
 *     return request;
 *   },
 * });
 * ```
 */
export { GatewayError, PROBLEM, problem, type ProblemKind } from "./runtime/errors.ts";
