/**
 * @module
 * One token counter: a Durable Object per token-limit instance and key, the
 * rate limiter's design counted in tokens. Its state is a bucket of spent
 * tokens that drains at `tokens / window` (GCRA as a level rather than a
 * time, so a count of millions stays exact in a float): a key may spend its
 * whole budget at once, and then as fast as it drains.
 *
 * A request reserves its prompt's estimate before the provider is called
 * (refused when it does not fit), and settles the difference once the
 * provider's count is known. Settling may push the bucket past full (an
 * answer longer than what was left): up to one budget, never more, as the
 * rate limiter's async charge caps it, so the key waits little more than a window.
 *
 * Exactness comes from the object itself: no await between reading and
 * writing the level, no outside I/O, and the output gate holds each answer
 * until its write is durable. An ask retried after its answer was lost
 * carries the same id and is answered, not counted, again.
 */
import { DurableObject } from "cloudflare:workers";
import { AnsweredAsks } from "../../runtime/answered-asks.ts";

export interface TokenDecision {
  allowed: boolean;
  tokens: number;
  /** Tokens that may still be reserved right now. */
  remaining: number;
  /** Seconds until the bucket is empty (the RateLimit `t`). */
  reset: number;
  /** Seconds until this request's tokens would fit (0 when allowed); undefined when they never would (more than the budget). */
  retryAfter: number | undefined;
}

interface Level {
  spent: number;
  at: number;
}

const LEVEL_KEY = "level";
/** Float dust in the drained level is never worth a refusal. */
const EPSILON = 1e-6;

function assertBudget(tokens: number, windowSeconds: number, count: number): void {
  if (!Number.isInteger(tokens) || tokens < 1 || !Number.isFinite(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError(`tokens and window must be positive numbers (got ${tokens} per ${windowSeconds} s)`);
  }
  if (!Number.isInteger(count)) throw new RangeError(`the count must be a whole number of tokens (got ${count})`);
}

export class TokenCounter extends DurableObject {
  #level: Level | undefined;
  readonly #answered = new AnsweredAsks<TokenDecision>();

  /** The spent tokens now, drained since they were stored. */
  async #spentNow(tokens: number, windowSeconds: number): Promise<{ spent: number; now: number; perToken: number }> {
    this.#level ??= (await this.ctx.storage.get<Level>(LEVEL_KEY)) ?? { spent: 0, at: 0 };
    const now = Date.now();
    // Seconds one token takes to drain: multiplied, never divided by, so whole budgets give whole seconds.
    const perToken = windowSeconds / tokens;
    return { spent: Math.max(0, this.#level.spent - Math.max(0, now - this.#level.at) / 1000 / perToken), now, perToken };
  }

  #store(spent: number, now: number): void {
    this.#level = { spent, at: now };
    // Not awaited: the output gate holds the answer until the write is durable.
    void this.ctx.storage.put(LEVEL_KEY, this.#level);
  }

  #decision(allowed: boolean, tokens: number, spent: number, perToken: number, retryAfter: number | undefined): TokenDecision {
    return {
      allowed,
      tokens,
      remaining: Math.max(0, Math.floor(tokens - spent + EPSILON)),
      reset: Math.max(0, Math.ceil(spent * perToken - EPSILON)),
      retryAfter,
    };
  }

  /** Reserves `count` tokens when they fit in what is left of the budget; a refusal reserves nothing. */
  async reserve(tokens: number, windowSeconds: number, count: number, ask?: string): Promise<TokenDecision> {
    assertBudget(tokens, windowSeconds, count);
    const { spent, now, perToken } = await this.#spentNow(tokens, windowSeconds);
    const answered = this.#answered.get(ask);
    if (answered) return answered;
    if (spent + count > tokens + EPSILON) {
      const retryAfter = count > tokens ? undefined : Math.max(1, Math.ceil((spent + count - tokens) * perToken - EPSILON));
      return this.#answered.remember(ask, this.#decision(false, tokens, spent, perToken, retryAfter));
    }
    this.#store(spent + count, now);
    return this.#answered.remember(ask, this.#decision(true, tokens, spent + count, perToken, 0));
  }

  /** Adds the difference between what was reserved and what was used (negative: given back); at most one budget past full. */
  async settle(tokens: number, windowSeconds: number, difference: number, ask?: string): Promise<TokenDecision> {
    assertBudget(tokens, windowSeconds, difference);
    const { spent, now, perToken } = await this.#spentNow(tokens, windowSeconds);
    const answered = this.#answered.get(ask);
    if (answered) return answered;
    const settled = Math.min(Math.max(0, spent + difference), 2 * tokens);
    this.#store(settled, now);
    return this.#answered.remember(ask, this.#decision(settled <= tokens + EPSILON, tokens, settled, perToken, 0));
  }
}
