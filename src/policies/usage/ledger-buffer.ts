/**
 * @module
 * The isolate's points on their way to the UsageLedger: they wait here and
 * go to the one ledger object in a single call once 100 wait, or 1 s after
 * the first of them arrived, inside the waitUntil of the request that filled
 * or started the batch.
 *
 * Points waiting in an isolate that is evicted before its flush are lost.
 * That trade is taken on purpose: calling the object on every request would
 * put a Durable Object round trip behind each of them (and make the one
 * object the bottleneck of the whole gateway), for figures that are read as
 * totals, where a few lost points do not show.
 */
import { describeError } from "../../runtime/log.ts";
import type { GatewayContext, Logger } from "../../runtime/types.ts";
import type { UsagePoint } from "./point.ts";
import type { UsageLedger } from "./usage-ledger.ts";

/** Points sent in one call at most. */
export const BATCH_SIZE = 100;
/** How long the first waiting point waits for others. */
export const FLUSH_AFTER_MS = 1000;
/** The name of the one ledger object every isolate sends to. */
export const LEDGER_NAME = "usage";

class LedgerBuffer {
  readonly #namespace: DurableObjectNamespace<UsageLedger>;
  #points: UsagePoint[] = [];
  /** The timer of the waiting batch, and what ends the waitUntil that holds it. */
  #pending: { timer: ReturnType<typeof setTimeout>; release: () => void } | undefined;

  constructor(namespace: DurableObjectNamespace<UsageLedger>) {
    this.#namespace = namespace;
  }

  add(point: UsagePoint, ctx: GatewayContext): void {
    this.#points.push(point);
    if (this.#points.length >= BATCH_SIZE) ctx.waitUntil(this.#flush(ctx.log));
    else if (!this.#pending) ctx.waitUntil(this.#flushLater(ctx.log));
  }

  #flushLater(log: Logger): Promise<void> {
    return new Promise((release) => {
      const timer = setTimeout(() => {
        this.#pending = undefined;
        this.#flush(log).then(release);
      }, FLUSH_AFTER_MS);
      this.#pending = { timer, release };
    });
  }

  /** Sends what waits; never rejects (a lost batch is logged). */
  async #flush(log: Logger): Promise<void> {
    if (this.#pending) {
      clearTimeout(this.#pending.timer);
      this.#pending.release();
      this.#pending = undefined;
    }
    const batch = this.#points;
    this.#points = [];
    if (batch.length === 0) return;
    try {
      // A stub of its own per call: a stub is an I/O object of the request that made it.
      await this.#namespace.get(this.#namespace.idFromName(LEDGER_NAME)).record(batch);
    } catch (error) {
      log.warn("usage points lost: the ledger did not take them", { points: batch.length, ...describeError(error) });
    }
  }
}

/** One buffer per namespace per isolate, whichever instance or env reaches it. */
const buffers = new WeakMap<DurableObjectNamespace, LedgerBuffer>();

export function ledgerBufferOf(namespace: DurableObjectNamespace): LedgerBuffer {
  let buffer = buffers.get(namespace);
  if (!buffer) buffers.set(namespace, (buffer = new LedgerBuffer(namespace as DurableObjectNamespace<UsageLedger>)));
  return buffer;
}
