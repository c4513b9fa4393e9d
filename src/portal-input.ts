/**
 * @module
 * What the compiler and the portal generator share, without either importing
 * the other: the limits each operation is under, per tier (the compiler hands
 * them to the portal), and where the portal is served (the gateway points its
 * problem types at the portal's errors page).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** What an operation's page says of a policy on it: a limit it counts calls against, or its cache. */
export type PortalLimit = PortalCount | PortalCache;

export interface PortalCount {
  kind: "rate-limit" | "quota";
  name: string;
  limit: number;
  window?: number;
  period?: string;
  by?: string;
  tiers?: Record<string, { limit: number; window?: number }>;
}

export interface PortalCache {
  kind: "cache";
  name: string;
  /** consumer: each caller's answers are its own; shared: one answer for every caller. */
  by: "consumer" | "shared";
  /** Seconds an answer is kept; absent, the API's Cache-Control decides. */
  ttl?: number;
  /** Seconds past that an answer may still be served while it is refreshed. */
  staleWhileRevalidate?: number;
}

export interface PortalOperation {
  operationId: string;
  method: string;
  path: string;
  limits: PortalLimit[];
}

/** The MCP server the gateway serves (x-portico.mcp), as the portal shows it. */
export interface PortalMcp {
  /** The server's name, the key of a client's configuration. */
  name: string;
  /** Its absolute path on the gateway (`/mcp`). */
  path: string;
  tools: Array<{ name: string; title?: string; description?: string; operationId: string; method: string; path: string }>;
  /** What a client sends with each request, by header name: a placeholder of the API's credential. */
  headers: Record<string, string>;
  /** Query parameters an API key scheme takes, by name: a placeholder each. */
  query: Record<string, string>;
  /** The issuers MCP clients sign in with (bearer schemes that name one): no header to configure for those. */
  issuers: string[];
}

/** The portal's input, as `compile()` returns it. */
export interface PortalInput {
  /** The public document (x-portico removed). */
  document: Record<string, any>;
  operations: PortalOperation[];
  /** The MCP server, when the document serves one. */
  mcp?: PortalMcp;
  /**
   * The check the gateway's own validator makes of the schema at a pointer of `document`, in a
   * direction (a request need not carry readOnly properties, a response writeOnly ones): the
   * portal shows no example it generates that fails it. Undefined where the schema does not compile.
   */
  checkAt?: (pointer: string, direction: "request" | "response") => ((value: unknown) => SchemaFault[]) | undefined;
}

/** One way a value breaks a schema: where in the value, and which keyword. */
export interface SchemaFault {
  instancePath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
}

/** The portal's settings file, if the project has one. */
export function readPortalConfig(root: string): Record<string, any> {
  const file = join(root, "portal", "portal.config");
  return existsSync(file) ? ((parse(readFileSync(file, "utf8")) as Record<string, any> | null) ?? {}) : {};
}

/** Where the portal is served: portal.config's basePath (default /docs), "" for the root; undefined without a portal/ folder. */
export function portalBasePath(root: string): string | undefined {
  if (!existsSync(join(root, "portal"))) return undefined;
  const base = `/${String(readPortalConfig(root).basePath ?? "/docs").replace(/^\/+|\/+$/g, "")}`;
  return base === "/" ? "" : base;
}
