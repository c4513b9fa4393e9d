/**
 * @module
 * A circuit breaker per upstream target, kept in the isolate: after
 * `failures` failures within `window` seconds it opens, and requests are not
 * sent to the target for `cooldown` seconds; then one request (the probe) is
 * let through, and its outcome closes the breaker or opens it again. Time is
 * Date.now(), so tests move it by hand. Each Worker isolate counts on its own.
 */

export interface BreakerSettings {
  failures: number;
  /** Seconds. */
  window: number;
  /** Seconds. */
  cooldown: number;
}

/** How a request was let through: as usual, or as the one probe after a cooldown. */
export type Admission = "closed" | "probe";

export class Breaker {
  readonly settings: BreakerSettings;
  /** When the recent failures happened, oldest first; never more than `failures` of them. */
  private failedAt: number[] = [];
  /** While open: when the cooldown ends. 0 while closed. */
  private openUntil = 0;
  /**
   * When the probe was let through, while it is out. A probe whose request is cancelled (its
   * client reset the connection) never reports: after another cooldown, a new probe may go.
   */
  private probeSince: number | undefined;

  constructor(settings: BreakerSettings) {
    this.settings = settings;
  }

  /** Whether a request could be let through now, without claiming the probe. */
  available(now: number): boolean {
    return this.openUntil === 0 || (now >= this.openUntil && !this.probing(now));
  }

  /** Lets a request through, or not (undefined); after the cooldown, the first one through is the probe. */
  admit(now: number): Admission | undefined {
    if (this.openUntil === 0) return "closed";
    if (now < this.openUntil || this.probing(now)) return undefined;
    this.probeSince = now;
    return "probe";
  }

  private probing(now: number): boolean {
    return this.probeSince !== undefined && now - this.probeSince < this.settings.cooldown * 1000;
  }

  /** The outcome of a request let through. Returns true when this failure opened the breaker. */
  record(admission: Admission, failed: boolean, now: number): boolean {
    if (admission === "probe") {
      this.probeSince = undefined;
      this.failedAt = [];
      this.openUntil = failed ? now + this.settings.cooldown * 1000 : 0;
      return failed;
    }
    // A request let through before the breaker opened says nothing about it now.
    if (!failed || this.openUntil !== 0) return false;
    const since = now - this.settings.window * 1000;
    this.failedAt = this.failedAt.filter((at) => at > since);
    this.failedAt.push(now);
    if (this.failedAt.length < this.settings.failures) return false;
    this.failedAt = [];
    this.openUntil = now + this.settings.cooldown * 1000;
    return true;
  }

  /** A request let through that ended without an outcome (its client left): a probe may be tried again. */
  release(admission: Admission): void {
    if (admission === "probe") this.probeSince = undefined;
  }

  /** Whole seconds until a request may be tried again (at least 1). */
  retryAfter(now: number): number {
    return Math.max(1, Math.ceil((this.openUntil - now) / 1000));
  }
}

/** Every breaker of the isolate, by group and target: operations that send to one target share its breaker. */
const breakers = new Map<string, Breaker>();

/** The breaker of a target, made on first use. */
export function breakerOf(key: string, settings: BreakerSettings): Breaker {
  let breaker = breakers.get(key);
  if (!breaker) breakers.set(key, (breaker = new Breaker(settings)));
  return breaker;
}
