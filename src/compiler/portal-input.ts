/**
 * @module
 * What the portal generator needs to know of the planned operations beyond
 * the document: the rate limits and quotas each one is under, per tier.
 */
import type { PlannedPath } from "./emit.ts";

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

export function portalOperations(paths: PlannedPath[]): PortalOperation[] {
  return paths.flatMap((path) =>
    path.operations.map((op) => ({
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      limits: op.inbound
        .filter((use) => use.use === "rate-limit" || use.use === "quota")
        .map((use) => {
          const options = use.options as Record<string, any>;
          const name = (use.prepared?.name as string | undefined) ?? options.name ?? use.name;
          return use.use === "rate-limit"
            ? { kind: "rate-limit" as const, name, limit: options.limit, window: options.window ?? 60, by: options.by ?? "ip", tiers: options.tiers }
            : { kind: "quota" as const, name, limit: options.limit, period: options.period ?? "month", by: "consumer", tiers: options.tiers };
        }),
    })),
  );
}
