/**
 * @module
 * Options that the policies counting in a Durable Object (quota, token-limit)
 * word alike: what happens when the counter cannot answer, and the binding of
 * the counter's class.
 */

export const counterFailMode = {
  enum: ["closed", "open"],
  default: "closed",
  description: "When the counter cannot answer: closed refuses with 503, open lets the request through uncounted and logs the failure.",
} as const;

/** The `binding` option of a counter: a wrangler.toml binding name, `fallback` by default. */
export function counterBinding<const Fallback extends string>(fallback: Fallback, counterClass: string) {
  return {
    type: "string",
    pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
    default: fallback,
    description: `The Durable Object namespace binding of the ${counterClass} class (wrangler.toml).`,
  } as const;
}
