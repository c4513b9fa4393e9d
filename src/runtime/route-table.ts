/**
 * @module
 * The shape of what the compiler emits into .portico/app.ts: the route table,
 * with every module imported statically and options already validated.
 */
import type { Builtin } from "./builtin.ts";
import type { TelemetryConfig } from "./telemetry/config.ts";
import type { RouteInfo } from "./types.ts";
import type { Router } from "./router.ts";
import type { Gateway } from "./gateway.ts";

/** One use of a built-in (or of a user's module, adapted): its module, options and prepared data. */
export interface Instance {
  /** The name used in the spec: a named instance, a built-in or a module path. */
  name: string;
  builtin: Builtin<any, any>;
  /** As validated at build time; `${env.X}` still in them until the env is known. */
  options: unknown;
  /** Build-time data from the document, never template-filled. */
  prepared?: unknown;
}

export interface CompiledOperation {
  route: RouteInfo;
  /** Gateway inbound, authentication, the operation's own, then validation, in order. */
  inbound: Instance[];
  handler: Instance;
  /** The operation's own outbound, then the gateway's, in order. */
  outbound: Instance[];
  /** It declares a `_method` query parameter, which is then its data rather than a method override to refuse. */
  takesMethodParameter?: true;
  /** Its handler takes this protocol upgrade: a request's `Upgrade` naming it is kept for the handler. */
  upgrade?: "websocket";
  /**
   * Its path differs from its route's only in parameter names (a document's `{subject_digest}`
   * beside `{attestation_id}`): each pair is the route's name and this operation's own.
   */
  renamedParams?: Array<[string, string]>;
}

export interface CompiledPath {
  /** The router pattern (Hono syntax), base path included. */
  pattern: string;
  /**
   * For templates with a parameter inside a segment (`/files/{name}.{ext}`):
   * the template, base path included, which the gateway matches the raw path
   * against itself (the router sees only a parameter there).
   */
  segmentTemplate?: string;
  operations: Record<string, CompiledOperation>;
}

/** The admin routes of one built-in: mounted at /_portico/<name>/. */
export interface AdminMount {
  name: string;
  builtin: Builtin<any, any>;
  /** Every instance of the built-in in the route table, once each. */
  instances: Instance[];
}

export interface RouteTable {
  /** Most specific first: the first pattern that matches wins. */
  paths: CompiledPath[];
  admin?: AdminMount[];
  /**
   * Routes of the gateway's own beside the document's (the portal's sign-in and key pages, the MCP server): each adds its
   * routes, before the document's, and may call the gateway itself (an MCP tool call runs its operation through it).
   */
  mounts?: ReadonlyArray<(router: Router, gateway: Gateway) => void>;
  /** Where the problems' `type` URIs point (x-portico.problems.base); about:blank when absent. */
  problemBase?: string;
  /** Where the developer portal is served ("/docs", "" at the root), when the project has one: its missing pages get its 404 page. */
  portalBase?: string;
  /** The public document served at /openapi.json (x-portico removed), as JSON text. */
  publicSpec: string;
  /** Built by `npm run dev`: logged errors also print their stack readably (see createLogger). */
  dev?: boolean;
  /** x-portico.telemetry as the build resolved it; none when absent (a table built by hand). */
  telemetry?: TelemetryConfig;
}
