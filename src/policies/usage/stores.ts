/**
 * @module
 * Where points go, told by what the binding is at run time: an Analytics
 * Engine dataset takes each point at once (its writes leave the isolate on
 * their own, after the response); a Durable Object namespace gets them in
 * batches, through the isolate's ledger buffer; anything else records
 * nothing, and says so once.
 */
import type { Env } from "../../runtime/builtin.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { ledgerBufferOf } from "./ledger-buffer.ts";
import { ANONYMOUS, type UsagePoint } from "./point.ts";

export interface UsageStore {
  /** Takes the point without waiting on anything; background work goes through ctx.waitUntil. */
  write(point: UsagePoint, ctx: GatewayContext): void;
}

/**
 * The layout `portico usage --remote` reads back with SQL: index1 and blob4
 * the consumer, blob1 the operation, blob2 the tier, blob3 the status class;
 * double1 the request (1), then latency, bytes in, bytes out and status, and
 * double6 the LLM tokens of an llm answer (left out when 0: a missing double reads 0).
 */
export function dataPointOf(point: UsagePoint): AnalyticsEngineDataPoint {
  const consumer = point.consumer ?? ANONYMOUS;
  return {
    indexes: [consumer],
    blobs: [point.operationId, point.tier ?? "", point.statusClass, consumer],
    doubles: [1, point.latencyMs, point.bytesIn, point.bytesOut, point.status, ...(point.tokens > 0 ? [point.tokens] : [])],
  };
}

/** Bindings already warned about in this isolate: one line each, not one per request. */
const warned = new Set<string>();

function nowhere(binding: string): UsageStore {
  return {
    write(_point, ctx) {
      if (warned.has(binding)) return;
      warned.add(binding);
      ctx.log.warn("usage is not recorded", {
        binding,
        reason: `The binding ${binding} is neither an Analytics Engine dataset nor a Durable Object namespace of the UsageLedger class (wrangler.toml).`,
      });
    },
  };
}

const isDataset = (target: unknown): target is AnalyticsEngineDataset => typeof (target as AnalyticsEngineDataset)?.writeDataPoint === "function";

export const isLedgerNamespace = (target: unknown): target is DurableObjectNamespace => typeof (target as DurableObjectNamespace)?.idFromName === "function";

/** The store of a binding, told once per env; never throws, so a strange binding cannot fail the set-up. */
export function storeOf(env: Env, binding: string): UsageStore {
  try {
    const target = env[binding];
    if (isDataset(target)) return { write: (point) => target.writeDataPoint(dataPointOf(point)) };
    if (isLedgerNamespace(target)) {
      const buffer = ledgerBufferOf(target);
      return { write: (point, ctx) => buffer.add(point, ctx) };
    }
  } catch {
    // A binding that throws when looked at is no store either.
  }
  return nowhere(binding);
}
