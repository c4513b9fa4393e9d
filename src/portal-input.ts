/**
 * @module
 * What the compiler hands the portal generator beyond the document: the
 * limits each operation is under, per tier. The compiler and the portal both
 * read this contract and never each other.
 */

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
