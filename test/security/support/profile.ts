/**
 * How hard the suite tries: `npm test` runs the short profile (the same cases,
 * fewer repetitions), `npm run test:security` the full one.
 */
export const FULL = process.env.PORTICO_SECURITY_PROFILE === "full";

/** `short` in the short profile, `full` in the full one. */
export const count = (short: number, full: number): number => (FULL ? full : short);
