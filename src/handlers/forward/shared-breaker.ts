/**
 * @module
 * An isolate's side of a circuit breaker shared through the CircuitBreakers
 * Durable Object (circuit-breakers.ts). A request to a closed breaker never
 * waits on the object: the isolate keeps the object's view of the target and
 * reads it again in the background, at most once a second while requests
 * flow. Each failure is reported in the background, one call per failure,
 * and the answer is the object's new view; the isolate's own count opens
 * its breaker at once, and the report says so. Only after a cooldown does a
 * request wait on the object, to ask who probes: one request of one isolate
 * goes, the others are held back until the probe's outcome is heard.
 *
 * When the object cannot be reached (or the binding is missing), the
 * isolate's own breaker decides alone, as without `shared`, and a warning is
 * logged once; the object is tried again with the next report or refresh.
 */
import { durableStub } from "../../runtime/ask-counter.ts";
import type { Env } from "../../runtime/builtin.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { Breaker, type Admission, type BreakerSettings, type BreakerView, type TargetBreaker } from "./breaker.ts";
import type { CircuitBreakers } from "./circuit-breakers.ts";

/** The longest an isolate goes on the object's view while requests flow, in ms. */
const REFRESH_MS = 1000;

type Stub = DurableObjectStub<CircuitBreakers>;

/** The shared breakers of one isolate reached through one namespace, and whether it has warned that the object is out of reach. */
interface Isolate {
  breakers: Map<string, SharedBreaker>;
  warned: boolean;
}

export class SharedBreaker implements TargetBreaker {
  readonly settings: BreakerSettings;
  readonly #own: Breaker;
  readonly #connect: () => Stub;
  #stub: Stub | undefined;
  readonly #isolate: Isolate;
  readonly #label: string;
  #view: BreakerView = { openUntil: 0, probing: false };
  #heardAt = -Infinity;
  /** A claim or a refresh is out: its answer will tell. */
  #asking = false;
  /** Calls sent, and the latest one heard: an answer overtaken by a later one never rolls the view back. */
  #sent = 0;
  #heard = 0;
  #reachable = true;
  /** Who gave the probe this isolate holds: the object, or its own breaker while the object is out of reach. */
  #probe: "object" | "own" | undefined;

  constructor(settings: BreakerSettings, connect: () => Stub, isolate: Isolate, label: string) {
    this.settings = settings;
    this.#own = new Breaker(settings);
    this.#connect = connect;
    this.#isolate = isolate;
    this.#label = label;
  }

  available(now: number): boolean {
    if (!this.#reachable) return this.#own.available(now);
    const { openUntil, probing } = this.#view;
    return openUntil === 0 || (now >= openUntil && !this.#asking && !(probing && now - this.#heardAt < REFRESH_MS));
  }

  admit(now: number, ctx?: GatewayContext): Admission | undefined | Promise<Admission | undefined> {
    if (!this.#reachable) {
      this.#refresh(now, ctx);
      return this.#admitOwn(now);
    }
    const { openUntil, probing } = this.#view;
    if (openUntil === 0 || now < openUntil) {
      this.#refresh(now, ctx);
      return openUntil === 0 ? "closed" : undefined;
    }
    if (this.#asking || (probing && now - this.#heardAt < REFRESH_MS)) return undefined;
    return this.#claim(ctx);
  }

  record(admission: Admission, failed: boolean, now: number, ctx?: GatewayContext): boolean {
    if (admission === "probe") return this.#settle(failed, now, ctx);
    if (!this.#reachable) {
      const opened = this.#own.record(admission, failed, now);
      if (failed) this.#report(opened, ctx);
      return opened;
    }
    // A request let through before the breaker opened says nothing about it now.
    if (!failed || this.#view.openUntil !== 0) return false;
    const opened = this.#own.record("closed", true, now);
    if (opened) this.#assume({ openUntil: now + this.settings.cooldown * 1000, probing: false }, now);
    this.#report(opened, ctx);
    return opened;
  }

  release(admission: Admission, ctx?: GatewayContext): void {
    if (admission !== "probe") return;
    const from = this.#probe;
    this.#probe = undefined;
    if (from !== "object") return this.#own.release(admission);
    this.#assume({ ...this.#view, probing: false }, Date.now());
    ctx?.waitUntil(this.#call(ctx, (stub, settings) => stub.release(settings)));
  }

  retryAfter(now: number): number {
    if (!this.#reachable) return this.#own.retryAfter(now);
    return Math.max(1, Math.ceil((this.#view.openUntil - now) / 1000));
  }

  #admitOwn(now: number): Admission | undefined {
    const admission = this.#own.admit(now);
    if (admission === "probe") this.#probe = "own";
    return admission;
  }

  /** The cooldown is over: the object gives the probe to the first to ask, or says the breaker closed. */
  async #claim(ctx?: GatewayContext): Promise<Admission | undefined> {
    this.#asking = true;
    try {
      const answer = await this.#call(ctx, (stub, settings) => stub.claim(settings));
      if (!answer) return this.#admitOwn(Date.now());
      if (answer.admission === "probe") this.#probe = "object";
      return answer.admission;
    } finally {
      this.#asking = false;
    }
  }

  #settle(failed: boolean, now: number, ctx?: GatewayContext): boolean {
    const from = this.#probe;
    this.#probe = undefined;
    if (from !== "object") return this.#own.record("probe", failed, now);
    this.#own.close();
    if (failed) this.#own.trip(now);
    this.#assume({ openUntil: failed ? now + this.settings.cooldown * 1000 : 0, probing: false }, now);
    ctx?.waitUntil(this.#call(ctx, (stub, settings) => stub.settle(settings, failed)));
    return failed;
  }

  #report(opened: boolean, ctx?: GatewayContext): void {
    const reported = this.#call(ctx, (stub, settings) => stub.failed(settings, opened)).then((answer) => {
      if (answer?.opened && !opened) ctx?.log.warn("circuit breaker opened", { upstream: this.#label, cooldown: this.settings.cooldown, shared: true });
    });
    ctx?.waitUntil(reported);
  }

  #refresh(now: number, ctx?: GatewayContext): void {
    if (this.#asking || now - this.#heardAt < REFRESH_MS) return;
    this.#asking = true;
    this.#heardAt = now; // an object out of reach is tried again a second later, not by every request
    const refreshed = this.#call(ctx, (stub, settings) => stub.view(settings)).finally(() => (this.#asking = false));
    ctx?.waitUntil(refreshed);
  }

  /** What this isolate decided itself (its count opened, its probe ended): answers to calls sent before it are not heard. */
  #assume(view: BreakerView, now: number): void {
    this.#view = view;
    this.#heardAt = now;
    this.#heard = this.#sent;
  }

  async #call<T extends BreakerView>(ctx: GatewayContext | undefined, ask: (stub: Stub, settings: BreakerSettings) => Promise<T>): Promise<T | undefined> {
    const sent = ++this.#sent;
    try {
      const answer = await ask((this.#stub ??= this.#connect()), this.settings);
      this.#reachable = true;
      if (sent > this.#heard) this.#hear(sent, answer);
      return answer;
    } catch (error) {
      this.#stub = undefined; // a stub that threw may stay broken; the next call makes a new one
      this.#reachable = false;
      if (!this.#isolate.warned) {
        this.#isolate.warned = true;
        ctx?.log.warn("shared circuit breaker unavailable", { upstream: this.#label, error: String(error), fallback: "each isolate's own breaker" });
      }
      return undefined;
    }
  }

  #hear(sent: number, { openUntil, probing }: BreakerView): void {
    const now = Date.now();
    this.#heard = sent;
    this.#view = { openUntil, probing };
    this.#heardAt = now;
    // Closed for all (a probe succeeded somewhere): the isolate's own count starts afresh too.
    if (openUntil === 0 && this.#own.view(now).openUntil !== 0) this.#own.close();
  }
}

/** Per namespace: in production an isolate has one env, so one; a test's env of its own stands for another isolate. */
const isolates = new WeakMap<object, Isolate>();
const MISSING = {};

/** The shared breaker of a target (`key`: its group and address), made on first use in this isolate. */
export function sharedBreakerOf(env: Env, binding: string, key: string, label: string, settings: BreakerSettings): SharedBreaker {
  const namespace = (env[binding] as object | undefined) ?? MISSING;
  let isolate = isolates.get(namespace);
  if (!isolate) isolates.set(namespace, (isolate = { breakers: new Map(), warned: false }));
  let breaker = isolate.breakers.get(key);
  if (!breaker) {
    const connect = () => durableStub<CircuitBreakers>(env, binding, key);
    isolate.breakers.set(key, (breaker = new SharedBreaker(settings, connect, isolate, label)));
  }
  return breaker;
}
