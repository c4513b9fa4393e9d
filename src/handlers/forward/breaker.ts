/**
 * @module
 * A circuit breaker per upstream target, kept in the isolate: after
 * `failures` failures within `window` seconds it opens, and requests are not
 * sent to the target for `cooldown` seconds; then one request (the probe) is
 * let through, and its outcome closes the breaker or opens it again. Time is
 * Date.now(), so tests move it by hand. Each Worker isolate counts on its own,
 * unless the group's breaker is shared: then the CircuitBreakers Durable Object
 * keeps the same state for all of them (circuit-breakers.ts, shared-breaker.ts).
 */
import type { GatewayContext } from "../../runtime/types.ts";

export interface BreakerSettings {
  failures: number;
  /** Seconds. */
  window: number;
  /** Seconds. */
  cooldown: number;
}

/** How a request was let through: as usual, or as the one probe after a cooldown. */
export type Admission = "closed" | "probe";

/** Everything a breaker remembers, as a Durable Object stores it. */
export interface BreakerState {
  /** When the recent failures happened, oldest first; never more than `failures` of them. */
  failedAt: number[];
  /** While open: when the cooldown ends. 0 while closed. */
  openUntil: number;
  /**
   * When the probe was let through, while it is out. A probe whose request is cancelled (its
   * client reset the connection) never reports: after another cooldown, a new probe may go.
   */
  probeSince?: number;
}

/** What an isolate needs to know of a shared breaker: open until when (0: closed), and whether a probe is out. */
export interface BreakerView {
  openUntil: number;
  probing: boolean;
}

/**
 * What forward asks of a target's breaker, kept in the isolate or shared. `ctx` carries a shared
 * breaker's calls to its Durable Object past the response (waitUntil); the isolate's ignores it.
 * Only a shared breaker's admission after a cooldown is a Promise: it asks who probes.
 */
export interface TargetBreaker {
  readonly settings: BreakerSettings;
  available(now: number): boolean;
  admit(now: number, ctx?: GatewayContext): Admission | undefined | Promise<Admission | undefined>;
  record(admission: Admission, failed: boolean, now: number, ctx?: GatewayContext): boolean;
  release(admission: Admission, ctx?: GatewayContext): void;
  retryAfter(now: number): number;
}

export class Breaker implements TargetBreaker {
  readonly settings: BreakerSettings;
  private failedAt: number[];
  private openUntil: number;
  private probeSince: number | undefined;

  constructor(settings: BreakerSettings, state: BreakerState = { failedAt: [], openUntil: 0 }) {
    this.settings = settings;
    this.failedAt = state.failedAt;
    this.openUntil = state.openUntil;
    this.probeSince = state.probeSince;
  }

  /** What to store to make the same breaker again. */
  state(): BreakerState {
    return { failedAt: this.failedAt, openUntil: this.openUntil, ...(this.probeSince !== undefined ? { probeSince: this.probeSince } : {}) };
  }

  view(now: number): BreakerView {
    return { openUntil: this.openUntil, probing: this.openUntil !== 0 && this.probing(now) };
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

  /** Opens a closed breaker for a cooldown, whatever it counted (another counter saw enough). Returns true when it opened. */
  trip(now: number): boolean {
    if (this.openUntil !== 0) return false;
    this.failedAt = [];
    this.openUntil = now + this.settings.cooldown * 1000;
    return true;
  }

  /** Closes it afresh, its failures forgotten (a probe elsewhere succeeded). */
  close(): void {
    this.failedAt = [];
    this.openUntil = 0;
    this.probeSince = undefined;
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
