/**
 * @module
 * Async mode's side in the isolate. Each key the isolate has seen has a copy
 * of its bucket (the TAT of the object's last answer, plus the requests let
 * through since), and the isolate decides from that copy at once: requests it
 * lets through are reported to the key's object in batches, and the object's
 * answer replaces the copy. A batch goes when it holds a tenth of the limit,
 * or a second after its first request; until the object has answered for a
 * batch's worth of requests, the key's next requests wait for that answer.
 * So one isolate alone is exact, and with others it lets through at most a
 * batch beyond what the object had counted when it last answered: each time
 * a key fills, it admits at most `limit` plus one batch per isolate serving
 * it. A key found full is decided by the object, as in strict mode, until an
 * answer shows room again: a key kept at its limit has each request decided there.
 */
import { askCounter } from "../../runtime/ask-counter.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { fits, remainingWith, waitFor } from "./gcra.ts";
import type { RateDecision } from "./rate-limiter.ts";

/** How long a batch waits for more requests of its key before it is reported. */
export const BATCH_MS = 1000;

/** The requests one batch holds: a tenth of the limit, at least 1 (a limit under 20 reports every request). */
export const batchSize = (limit: number) => Math.max(1, Math.floor(limit / 10));

/** Keys the isolate keeps a copy of at most, so random keys cannot grow its memory; the oldest goes first. */
const KEYS_REMEMBERED = 10_000;
/** How long a key is refused from memory (503) after its counter failed to answer, failing closed. */
const FAILED_BLOCK_MS = 1000;
/** A report on its way longer than this is taken as lost (its request's waitUntil cut short), and its requests with it. */
const REPORT_LOST_MS = 10_000;

/** What async mode asks of a key's object: a report of requests let through, or a decision after them. */
export interface Counter {
  charge(count: number, ask: string): Promise<RateDecision>;
  check(already: number, ask: string): Promise<RateDecision>;
}

export interface AsyncLimit {
  limit: number;
  window: number;
  failOpen: boolean;
}

interface Copy {
  /** The object's TAT at its last answer, plus the requests let through since (epoch ms; 0: never heard of, taken as full). */
  tat: number;
  /** Let through and not reported yet. */
  pending: number;
  /** Reported, not answered yet; with the report, which the key's waiting requests await. */
  sending: number;
  report?: Promise<void>;
  sentAt: number;
  /** The timer of the batch being filled: it reports the batch a second after its first request. */
  timer?: { wake(): void };
  /** The last answer found the key full: it is decided by asking the object until an answer shows room. */
  full: boolean;
  failedUntil: number;
}

const copies = new Map<string, Copy>();

function copyOf(name: string): Copy {
  const found = copies.get(name);
  if (found) return found;
  if (copies.size >= KEYS_REMEMBERED) copies.delete(copies.keys().next().value!);
  const made: Copy = { tat: 0, pending: 0, sending: 0, sentAt: 0, full: false, failedUntil: 0 };
  copies.set(name, made);
  return made;
}

/**
 * What the object answered replaces the copy: its TAT, plus the requests let
 * through while the answer was on its way (never more than a window ahead, as
 * the object counts them).
 */
function learn(copy: Copy, decision: RateDecision | undefined, { limit, window, failOpen }: AsyncLimit): void {
  const now = Date.now();
  if (!decision) {
    if (!failOpen) copy.failedUntil = now + FAILED_BLOCK_MS;
    return;
  }
  const windowMs = window * 1000;
  copy.tat = now + Math.min(decision.resetMs + copy.pending * (windowMs / limit), windowMs);
  copy.full = decision.remaining === 0;
}

/** Reports the key's pending requests, in the waitUntil of the request that sends them. */
function send(copy: Copy, ctx: GatewayContext, counter: Counter, settings: AsyncLimit): void {
  const timer = copy.timer;
  copy.timer = undefined;
  timer?.wake();
  const count = copy.pending;
  copy.pending = 0;
  copy.sending = count;
  copy.sentAt = Date.now();
  const asked = askCounter((ask) => counter.charge(count, ask), ctx);
  const report: Promise<void> = asked.then((decision) => {
    // A report taken as lost has been replaced: its late answer is stale.
    if (copy.report !== report) return;
    copy.sending = 0;
    copy.report = undefined;
    learn(copy, decision, settings);
  });
  copy.report = report;
  ctx.waitUntil(report);
}

/** Reports the batch a second after its first request, unless it went earlier because it was full. */
function sendLater(copy: Copy, ctx: GatewayContext, counter: Counter, settings: AsyncLimit): void {
  let wake = () => {};
  const woken = new Promise<boolean>((resolve) => {
    const timeout = setTimeout(() => resolve(false), BATCH_MS);
    wake = () => (clearTimeout(timeout), resolve(true));
  });
  const timer = { wake };
  copy.timer = timer;
  const later = async () => {
    if (await woken) return;
    // Requests let through while a report was on its way go in the next one, after it.
    while (copy.report && copy.timer === timer) await copy.report;
    if (copy.timer !== timer) return;
    copy.timer = undefined;
    if (copy.pending > 0) send(copy, ctx, counter, settings);
  };
  ctx.waitUntil(later());
}

/** The RateLimit item of a key whose copy runs `ahead` ms ahead of now. */
function shown(ahead: number, windowMs: number, interval: number) {
  return { remaining: remainingWith(ahead, windowMs, interval), reset: Math.ceil(ahead / 1000), resetMs: ahead };
}

/**
 * Decides a request of a key in async mode: from the isolate's copy, or by
 * asking the object when the key was last found full. Undefined: the counter
 * could not answer (failing closed, within a second of it; or asked, in
 * either fail mode), and the policy's failMode decides.
 */
export async function decideAsync(ctx: GatewayContext, name: string, counter: Counter, settings: AsyncLimit): Promise<RateDecision | undefined> {
  const { limit, window } = settings;
  const windowMs = window * 1000;
  const interval = windowMs / limit;
  const copy = copyOf(name);
  for (;;) {
    const now = Date.now();
    if (copy.failedUntil > now) return undefined;
    if (copy.report && now - copy.sentAt > REPORT_LOST_MS) {
      copy.report = undefined;
      copy.sending = 0;
    }
    const ahead = Math.max(copy.tat - now, 0);
    // The object has counted at least what the copy holds: what the copy refuses, it would refuse too.
    if (!fits(ahead, windowMs, interval)) {
      const waitMs = waitFor(ahead, windowMs, interval);
      return { allowed: false, limit, ...shown(ahead, windowMs, interval), retryAfter: Math.max(1, Math.ceil(waitMs / 1000)), retryAfterMs: waitMs };
    }
    if (copy.full) {
      // Full keys are decided by the object, so isolates cannot each spend what comes back to it.
      const already = copy.pending;
      copy.pending = 0;
      const decision = await askCounter((ask) => counter.check(already, ask), ctx);
      learn(copy, decision, settings);
      return decision;
    }
    if (copy.pending + copy.sending >= batchSize(limit)) {
      // A batch's worth let through that the object has not answered for: wait for its answer.
      if (!copy.report) send(copy, ctx, counter, settings);
      await copy.report;
      continue;
    }
    copy.tat = now + ahead + interval;
    copy.pending++;
    if (copy.pending + copy.sending >= batchSize(limit) && !copy.report) send(copy, ctx, counter, settings);
    else if (!copy.timer) sendLater(copy, ctx, counter, settings);
    return { allowed: true, limit, ...shown(ahead + interval, windowMs, interval), retryAfter: 0, retryAfterMs: 0 };
  }
}
