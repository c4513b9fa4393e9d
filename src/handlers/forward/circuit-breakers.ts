/**
 * @module
 * The circuit breaker of one upstream target shared by every isolate of the
 * gateway: a SQLite-backed Durable Object per group and target, holding the
 * same state as an isolate's own breaker (breaker.ts). Isolates report each
 * failure to it, so it counts them all over the window; they read its view
 * in the background, and ask it who probes once the cooldown is over: the
 * first to ask gets the probe, and its outcome closes or reopens the breaker
 * for all. Each call decides from memory with no await between reading and
 * writing, and the write is held by the output gate until it is durable.
 *
 * The settings come with each call: they are the group's options, which the
 * object never sees otherwise (an isolate of a newer deploy brings its own).
 */
import { DurableObject } from "cloudflare:workers";
import { Breaker, type BreakerSettings, type BreakerState, type BreakerView } from "./breaker.ts";

const STATE_KEY = "breaker";

/** The object's view, and whether the call that got it opened the breaker. */
export interface FailureAnswer extends BreakerView {
  opened: boolean;
}

/** The object's view, and whether the caller got the probe (or found the breaker closed). */
export interface ClaimAnswer extends BreakerView {
  admission?: "closed" | "probe";
}

export class CircuitBreakers extends DurableObject {
  #state: BreakerState | undefined;

  #breaker(settings: BreakerSettings): Breaker {
    this.#state ??= this.ctx.storage.kv.get<BreakerState>(STATE_KEY) ?? { failedAt: [], openUntil: 0 };
    return new Breaker(settings, this.#state);
  }

  #keep(breaker: Breaker): void {
    this.#state = breaker.state();
    this.ctx.storage.kv.put(STATE_KEY, this.#state);
  }

  /** One failure of a request let through while closed; `opened`: the isolate's own count opened its breaker. */
  failed(settings: BreakerSettings, opened: boolean): FailureAnswer {
    const now = Date.now();
    const breaker = this.#breaker(settings);
    const opening = breaker.record("closed", true, now) || (opened && breaker.trip(now));
    this.#keep(breaker);
    return { ...breaker.view(now), opened: opening };
  }

  view(settings: BreakerSettings): BreakerView {
    return this.#breaker(settings).view(Date.now());
  }

  /** After the cooldown: the probe to the first caller, nothing to the others until its outcome is known. */
  claim(settings: BreakerSettings): ClaimAnswer {
    const now = Date.now();
    const breaker = this.#breaker(settings);
    const admission = breaker.admit(now);
    if (admission === "probe") this.#keep(breaker);
    return { ...breaker.view(now), ...(admission ? { admission } : {}) };
  }

  /** The probe's outcome: closed for all, or open for another cooldown. */
  settle(settings: BreakerSettings, failed: boolean): BreakerView {
    const now = Date.now();
    const breaker = this.#breaker(settings);
    breaker.record("probe", failed, now);
    this.#keep(breaker);
    return breaker.view(now);
  }

  /** The probe ended without an outcome (its client left): the next to ask may probe. */
  release(settings: BreakerSettings): BreakerView {
    const breaker = this.#breaker(settings);
    breaker.release("probe");
    this.#keep(breaker);
    return breaker.view(Date.now());
  }
}
