/**
 * @module
 * What the portal shows of each planned operation beyond the document: the
 * limits it is under, as each built-in's descriptor describes them.
 */
import type { PortalOperation } from "../../portal-input.ts";
import type { PlannedPath } from "../emit/emit.ts";

export function portalOperations(paths: PlannedPath[]): PortalOperation[] {
  return paths.flatMap((path) =>
    path.operations.map((op) => ({
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      limits: op.inbound.flatMap((use) => use.builtin?.portal?.(use, use.prepared) ?? []),
    })),
  );
}
