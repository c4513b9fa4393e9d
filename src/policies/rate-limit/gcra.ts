/**
 * @module
 * The arithmetic of GCRA (the generic cell rate algorithm), shared by the
 * RateLimiter object and async mode's copy of a key's bucket in the isolate,
 * so both decide alike. A bucket is one number, the theoretical arrival time
 * (TAT); `ahead` is how far it runs ahead of now: the part of the window
 * already spent. A request costs `window / limit` ms of it.
 */

/**
 * Ties within this many milliseconds go to the request. The TAT is stored as
 * epoch milliseconds, a float whose rounding (about 0.0002 ms, over each
 * request of a window) would otherwise refuse the last request of an exact
 * burst at some limits (7 a second, say).
 */
export const TIE_MS = 0.01;

/** Requests still admissible when the TAT runs `ahead` ms ahead of now. */
export const remainingWith = (ahead: number, windowMs: number, interval: number) => Math.max(0, Math.floor((windowMs - ahead + TIE_MS) / interval));

/** Whether one more request fits in a bucket whose TAT runs `ahead` ms ahead of now. */
export const fits = (ahead: number, windowMs: number, interval: number) => ahead + interval <= windowMs + TIE_MS;

/** Milliseconds until one more request fits (0 when it fits now). */
export const waitFor = (ahead: number, windowMs: number, interval: number) => Math.max(0, ahead + interval - windowMs - TIE_MS);
