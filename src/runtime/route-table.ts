/**
 * @module
 * The shape of what the compiler emits into .portico/app.ts: the route table,
 * with every module imported statically and options already validated.
 */
import type { HandlerModule, PolicyModule, RouteInfo } from "./types.ts";

/** One policy instance: a module and its (validated, env-templated) options. */
export interface PolicyInstance {
  /** The name used in the spec: a named instance, a built-in or a module path. */
  name: string;
  module: PolicyModule<any>;
  options: unknown;
  /** Build-time data (and code, such as compiled validators) merged into options, never template-filled. */
  prepared?: Record<string, unknown>;
}

export interface HandlerInstance {
  name: string;
  module: HandlerModule<any>;
  options: unknown;
  /** Built-ins' build-time data from the document; merged into options as is, never template-filled. */
  prepared?: Record<string, unknown>;
}

export interface CompiledOperation {
  route: RouteInfo;
  /** Gateway inbound, then the operation's own, in order. */
  inbound: PolicyInstance[];
  handler: HandlerInstance;
  /** The operation's own outbound, then the gateway's, in order. */
  outbound: PolicyInstance[];
}

export interface CompiledPath {
  /** The router pattern (Hono syntax), base path included. */
  pattern: string;
  /**
   * For templates with a parameter inside a segment (`/files/{name}.{ext}`):
   * a regular expression over the raw path whose groups are `names`.
   */
  segmentMatch?: { source: string; names: string[] };
  operations: Record<string, CompiledOperation>;
}

export interface RouteTable {
  /** Most specific first: the first pattern that matches wins. */
  paths: CompiledPath[];
  /** The public document served at /openapi.json (x-portico removed), as JSON text. */
  publicSpec: string;
}
