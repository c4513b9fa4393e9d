/**
 * @module
 * What a counting Durable Object answered, by the id of the ask. An ask is
 * retried (by askCounter) after an error the platform marks retryable, and
 * such an error can come after the object counted the first attempt: the
 * answer was lost on its way back. The retry carries the same id and gets
 * the same answer, counted once.
 *
 * Kept in the object's memory: a retry follows its first attempt at once.
 * An object restarted between the two forgets the id and counts the retry.
 */

/** Enough for a retry to find its first attempt at the ~1,000 asks a second one object takes. */
const REMEMBERED = 1024;

export class AnsweredAsks<T> {
  readonly #answers = new Map<string, T>();

  /** The answer already given to this ask, if any. */
  get(ask: string | undefined): T | undefined {
    return ask === undefined ? undefined : this.#answers.get(ask);
  }

  /** Remembers the answer to an ask (the oldest is forgotten when full) and returns it. */
  remember(ask: string | undefined, answer: T): T {
    if (ask === undefined) return answer;
    if (this.#answers.size >= REMEMBERED) this.#answers.delete(this.#answers.keys().next().value!);
    this.#answers.set(ask, answer);
    return answer;
  }
}
