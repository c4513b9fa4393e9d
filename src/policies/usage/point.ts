/**
 * @module
 * One usage data point: what a response tells of who called which operation,
 * how it ended, how long it took and how many bytes went each way.
 */
import { declaredLength } from "../../runtime/body-limit.ts";
import type { GatewayContext } from "../../runtime/types.ts";

/** What a caller without a consumer is recorded as; the gateway calls them so elsewhere (rate-limit's tier). */
export const ANONYMOUS = "anonymous";

export interface UsagePoint {
  /** When the response was finished (ms since the epoch): the hour it is counted in. */
  at: number;
  /** Null for an anonymous caller. */
  consumer: string | null;
  tier: string | null;
  operationId: string;
  status: number;
  /** "2xx", "4xx"…: what the ledger keys by. */
  statusClass: string;
  latencyMs: number;
  bytesIn: number;
  bytesOut: number;
  /** LLM tokens the answer cost (the llm handler's count); 0 for other answers. */
  tokens: number;
}

export const statusClassOf = (status: number): string => `${Math.floor(status / 100)}xx`;

export function pointOf(response: Response, request: Request, ctx: GatewayContext): UsagePoint {
  const at = Date.now();
  return {
    at,
    consumer: ctx.consumer?.id ?? null,
    tier: ctx.consumer?.tier ?? null,
    operationId: ctx.route.operationId,
    status: response.status,
    statusClass: statusClassOf(response.status),
    latencyMs: Math.max(0, at - ctx.startedAt),
    bytesIn: declaredLength(request) ?? 0,
    bytesOut: declaredLength(response) ?? 0,
    tokens: 0,
  };
}
