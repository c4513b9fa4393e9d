/**
 * @module
 * One quota counter: a Durable Object per quota policy instance and consumer.
 *
 * Its whole state is the period it counts in, the count used in it and the
 * last limit it was given. The caller names the period with each request
 * (periods follow the consumer's anchor, which the object never sees), so a
 * later period start is the reset at the boundary. An earlier one comes from
 * an isolate whose clock is a little behind at the boundary: it is counted in
 * the newer period rather than starting the older one over, which would admit
 * a second full quota.
 *
 * Exactness comes from the object itself, as for the rate limiter: it decides
 * from memory with no await between reading and writing, and its output gate
 * holds each answer until the write is durable, so a restarted object reloads
 * exactly what it had admitted. An ask retried after its answer was lost
 * carries the same id and is answered, not counted, again.
 */
import { DurableObject } from "cloudflare:workers";
import { AnsweredAsks } from "../../runtime/answered-asks.ts";

export interface QuotaUsage {
  allowed: boolean;
  limit: number;
  /** Requests counted in the period. */
  used: number;
  remaining: number;
  /** When the period ends and the count starts over (ms since the epoch). */
  resetAt: number;
}

export interface QuotaReading extends QuotaUsage {
  /** When the period began (ms since the epoch). */
  periodStart: number;
}

interface Recorded {
  periodStart: number;
  periodEnd: number;
  used: number;
  limit: number;
}

const RECORD_KEY = "usage";

function usageOf(record: Recorded, allowed: boolean): QuotaReading {
  const { limit, used, periodStart, periodEnd } = record;
  return { allowed, limit, used, remaining: Math.max(0, limit - used), resetAt: periodEnd, periodStart };
}

export class QuotaCounter extends DurableObject {
  /** null: nothing counted yet; undefined: not loaded yet. */
  #record: Recorded | null | undefined;
  readonly #answered = new AnsweredAsks<QuotaUsage>();

  async #load(): Promise<Recorded | null> {
    if (this.#record === undefined) this.#record = (await this.ctx.storage.get<Recorded>(RECORD_KEY)) ?? null;
    return this.#record;
  }

  /**
   * The record the given period counts against: the stored one, or a fresh one
   * from a later period. An earlier start (an isolate whose clock lags) counts in
   * the stored record, unless that record has ended (the period or anchor changed).
   */
  #current(record: Recorded | null, periodStart: number, periodEnd: number, limit: number): Recorded {
    if (!record || periodStart > record.periodStart || periodEnd > record.periodEnd) return { periodStart, periodEnd, used: 0, limit };
    return record;
  }

  /** Counts one request when the period has room for it. */
  async consume(limit: number, periodStart: number, periodEnd: number, ask?: string): Promise<QuotaUsage> {
    const loaded = this.#record === undefined ? await this.#load() : this.#record;
    const answered = this.#answered.get(ask);
    if (answered) return answered;
    const current = this.#current(loaded, periodStart, periodEnd, limit);
    const allowed = current.used < limit;
    // A refusal with nothing new to record writes nothing: a client hammering a spent quota costs no writes.
    if (!allowed && current === loaded && current.limit === limit) return this.#answered.remember(ask, usageOf(current, false));
    const next = { ...current, used: current.used + (allowed ? 1 : 0), limit };
    this.#record = next;
    // Not awaited: the output gate holds the answer until the write is durable.
    void this.ctx.storage.put(RECORD_KEY, next);
    return this.#answered.remember(ask, usageOf(next, allowed));
  }

  /**
   * The usage in a period without counting; without a period, in the one the
   * object last counted in. Undefined when it has counted nothing yet, so no
   * limit is known.
   */
  async read(periodStart?: number, periodEnd?: number): Promise<QuotaReading | undefined> {
    const record = await this.#load();
    if (!record) return undefined;
    const current = periodStart === undefined || periodEnd === undefined ? record : this.#current(record, periodStart, periodEnd, record.limit);
    return usageOf(current, current.used < current.limit);
  }
}
