/**
 * @module
 * Request coalescing within one isolate: the first request for a key leads
 * (it looks the key up, and on a miss goes to the upstream); requests for the
 * same key meanwhile wait for its outcome instead of all reaching the
 * upstream. The leader's entry stays until its answer is stored, so a request
 * that comes after it finds either the entry or the stored answer, never a
 * gap between. Waiting is bounded: a leader that never settles (a body that
 * streams for ever) cannot hold the others longer than `waitMs`, and once it
 * is that old, the next request leads in its place.
 */

/** How long a request waits for the one ahead of it before going to the upstream itself: forward's default timeout. */
export const COALESCE_WAIT_MS = 30_000;

/**
 * found: the leader found the key in the cache; stored: it fetched an answer
 * and stored it; alone: nothing the others may share (not storable, an error,
 * or the wait ran out), so each goes on by itself.
 */
export type Outcome = "found" | "stored" | "alone";

export type Joined = { lead: (outcome: Outcome) => void } | { wait: Promise<Outcome> };

interface Leader {
  outcome: Promise<Outcome>;
  /** When it began (ms since the epoch): past `waitMs`, the next request leads in its place. */
  since: number;
}

export class InFlight {
  readonly #leaders = new Map<string, Leader>();
  readonly #waitMs: number;

  constructor(waitMs = COALESCE_WAIT_MS) {
    this.#waitMs = waitMs;
  }

  /** Leads the key (settle it exactly once; later calls do nothing), or waits for the request that does. */
  join(key: string): Joined {
    const now = Date.now();
    const ahead = this.#leaders.get(key);
    if (ahead && now - ahead.since < this.#waitMs) return { wait: this.#bounded(ahead.outcome) };
    let settle!: (outcome: Outcome) => void;
    const leader: Leader = { outcome: new Promise<Outcome>((resolve) => (settle = resolve)), since: now };
    this.#leaders.set(key, leader);
    let settled = false;
    return {
      lead: (result) => {
        if (settled) return;
        settled = true;
        // Gone before the waiters hear: one that comes next finds the stored answer.
        if (this.#leaders.get(key) === leader) this.#leaders.delete(key);
        settle(result);
      },
    };
  }

  /** How many keys are being fetched: none once every leader has settled. */
  get size(): number {
    return this.#leaders.size;
  }

  #bounded(leader: Promise<Outcome>): Promise<Outcome> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve("alone"), this.#waitMs)));
    return Promise.race([leader, timeout]).finally(() => timer !== undefined && clearTimeout(timer));
  }
}
