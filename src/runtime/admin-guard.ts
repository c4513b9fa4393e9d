/**
 * @module
 * Who may use the admin routes. The token is PORTICO_ADMIN_TOKEN; one under
 * 32 characters keeps the routes closed (said once in the log, at the first
 * admin request), since a short secret can be guessed. An address whose
 * wrong tokens reach 10 within a minute has its attempts left unchecked for
 * the rest of that minute: they get the same 404 as everyone else, so
 * guessing gains nothing and the answer tells nothing.
 *
 * The count lives in the isolate's memory: an attacker spread over many
 * isolates gets 10 a minute in each, still far too few for a 32-character
 * secret. A Durable Object would make it global at the cost of a call on
 * every admin request.
 */
import type { Env } from "./builtin.ts";
import { clientAddress } from "./client-address.ts";
import { createLogger } from "./log.ts";

export const MIN_ADMIN_TOKEN_LENGTH = 32;
export const FAILED_ATTEMPTS_PER_MINUTE = 10;
const MINUTE_MS = 60_000;
/** Addresses remembered at once; the oldest are forgotten first. */
const REMEMBERED_ADDRESSES = 10_000;

interface Attempts {
  /** When this address's minute began. */
  since: number;
  failed: number;
}

const attempts = new Map<string, Attempts>();
let weakTokenLogged = false;

const sha256 = (text: string) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));

function attemptsOf(address: string, now: number): Attempts {
  const known = attempts.get(address);
  if (known && now - known.since < MINUTE_MS) return known;
  attempts.delete(address);
  if (attempts.size >= REMEMBERED_ADDRESSES) attempts.delete(attempts.keys().next().value!);
  const fresh = { since: now, failed: 0 };
  attempts.set(address, fresh);
  return fresh;
}

/** Whether the token is long enough to open the routes; logs a short one once per isolate. */
function strongEnough(token: string): boolean {
  if (token.length >= MIN_ADMIN_TOKEN_LENGTH) return true;
  if (!weakTokenLogged) {
    weakTokenLogged = true;
    createLogger({}).warn(
      `PORTICO_ADMIN_TOKEN has ${token.length} characters, fewer than ${MIN_ADMIN_TOKEN_LENGTH}: the admin routes stay closed. ` +
        "Set a longer one (openssl rand -base64 32) with `wrangler secret put PORTICO_ADMIN_TOKEN`, or in .dev.vars for `npm run dev`.",
    );
  }
  return false;
}

/**
 * Whether the request bears the admin token. A request bearing none is no
 * attempt (the path may be a document route too); a wrong one counts against
 * its address. Compared as digests of equal length, in constant time, so the
 * answer time tells nothing of the token.
 */
export async function isAdmin(request: Request, env: Env): Promise<boolean> {
  const expected = env.PORTICO_ADMIN_TOKEN;
  if (typeof expected !== "string" || expected === "") return false;
  const given = /^Bearer +(\S+) *$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (given === undefined || !strongEnough(expected)) return false;
  const tally = attemptsOf(clientAddress(request) ?? "unknown", Date.now());
  if (tally.failed >= FAILED_ATTEMPTS_PER_MINUTE) return false;
  const [a, b] = await Promise.all([sha256(given), sha256(expected)]);
  if (crypto.subtle.timingSafeEqual(a, b)) return true;
  tally.failed++;
  return false;
}
