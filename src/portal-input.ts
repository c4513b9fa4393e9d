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

export interface PortalLimit {
  kind: "rate-limit" | "quota";
  name: string;
  limit: number;
  window?: number;
  period?: string;
  by?: string;
  tiers?: Record<string, { limit: number; window?: number }>;
}

export interface PortalOperation {
  operationId: string;
  method: string;
  path: string;
  limits: PortalLimit[];
}

/** The portal's input, as `compile()` returns it. */
export interface PortalInput {
  /** The public document (x-portico removed). */
  document: Record<string, any>;
  operations: PortalOperation[];
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
