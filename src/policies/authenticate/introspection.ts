/**
 * @module
 * Opaque OAuth2 access tokens, checked by RFC 7662 token introspection. Each
 * isolate keeps an answer under the SHA-256 of the token (never the token)
 * for at most the token's remaining life and never more than CACHE_SECONDS,
 * so a revoked token stops working within that bound; concurrent misses for
 * one token share one request. An endpoint that is down, slow or answers
 * anything but an RFC 7662 JSON object is an outage (503), never a pass.
 */
import { sha256Hex } from "../../runtime/digest.ts";
import { readBounded } from "../../runtime/read-bounded.ts";
import type { Consumer } from "../../runtime/types.ts";
import { consumerOfClaims, InvalidTokenError, MAX_TOKEN_LENGTH } from "./claims.ts";
import { CACHE_SECONDS } from "./consumer-store.ts";
import type { IntrospectionScheme } from "./options.ts";

/** An answer is a few hundred bytes; a larger one is refused unread (and never fills the cache). */
const MAX_ANSWER_BYTES = 16 * 1024;
/** Bound on cached answers: at most MAX_ANSWER_BYTES each, so the cache stays well inside an isolate's memory. */
const CACHE_LIMIT = 2_000;
/** RFC 6750 §2.1 b64token: anything else is no access token, and is refused without a request. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The endpoint cannot tell whether the token is good: the caller answers 503, never 200. */
export class IntrospectionUnavailableError extends Error {
  override name = "IntrospectionUnavailableError";
}

/** An RFC 7662 answer: `active`, and for an active token its claims. */
type Answer = Readonly<Record<string, unknown>>;
type Entry = { answer: Answer; until: number };

const cache = new Map<string, Entry>();
const pending = new Map<string, Promise<Entry>>();

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined and base64-encoded. */
function clientAuthorization(scheme: IntrospectionScheme): string {
  const encode = (text: string) => new URLSearchParams([["", text]]).toString().slice(1);
  const pair = new TextEncoder().encode(`${encode(scheme.clientId)}:${encode(scheme.clientSecret)}`);
  return `Basic ${btoa(String.fromCharCode(...pair))}`;
}

async function ask(scheme: IntrospectionScheme, token: string): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(scheme.url, {
      method: "POST",
      headers: { authorization: clientAuthorization(scheme), "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ token, token_type_hint: "access_token" }).toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(scheme.timeout),
    });
  } catch {
    throw new IntrospectionUnavailableError(`${scheme.url} unreachable or slower than ${scheme.timeout} ms`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw new IntrospectionUnavailableError(`${scheme.url} answered ${response.status}`);
  }
  let answer: unknown;
  try {
    const bytes = Number(response.headers.get("content-length") ?? 0) > MAX_ANSWER_BYTES ? undefined : await readBounded(response.body, MAX_ANSWER_BYTES);
    if (!bytes) throw new IntrospectionUnavailableError(`${scheme.url} answered more than ${MAX_ANSWER_BYTES} bytes`);
    answer = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    await response.body?.cancel().catch(() => {});
    if (error instanceof IntrospectionUnavailableError) throw error;
    throw new IntrospectionUnavailableError(`${scheme.url} answered no JSON (or too slowly)`);
  }
  if (answer === null || typeof answer !== "object" || Array.isArray(answer) || typeof (answer as { active?: unknown }).active !== "boolean") {
    throw new IntrospectionUnavailableError(`${scheme.url} answered no RFC 7662 object`);
  }
  return answer as Record<string, unknown>;
}

/** A cached answer is shared by every request the token makes: no policy may change it for the next. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === "object") for (const item of Object.values(value)) frozen(item);
  return Object.freeze(value);
}

/**
 * The consumer an answer proves to this scheme; throws InvalidTokenError. Worked out per request, not
 * cached: schemes asking one endpoint may want different audiences or claims.
 */
function consumerOfAnswer(scheme: IntrospectionScheme, answer: Answer): Consumer {
  if (answer.active !== true) throw new InvalidTokenError("inactive");
  // RFC 7662 §4: a token active at the server may be meant for another resource; issuer and audience say which.
  if (scheme.issuer !== undefined && answer.iss !== scheme.issuer) throw new InvalidTokenError("unexpected iss");
  if (scheme.audience !== undefined) {
    const wanted: unknown[] = ([] as string[]).concat(scheme.audience);
    if (!([] as unknown[]).concat(answer.aud ?? []).some((aud) => wanted.includes(aud))) throw new InvalidTokenError("unexpected aud");
  }
  const consumer = consumerOfClaims(answer, scheme);
  return { ...consumer, metadata: { ...consumer.metadata } };
}

/** How long the answer may be kept: the token's remaining life (`exp`), never more than CACHE_SECONDS. */
function keptUntil(answer: Answer, now: number): number {
  const bound = now + CACHE_SECONDS * 1000;
  return typeof answer.exp === "number" && Number.isFinite(answer.exp) ? Math.min(answer.exp * 1000, bound) : bound;
}

async function introspect(scheme: IntrospectionScheme, token: string, cacheKey: string): Promise<Entry> {
  const answer = await ask(scheme, token);
  // An inactive answer says nothing else worth keeping (RFC 7662 §2.2).
  const entry = { answer: frozen(answer.active === true ? answer : { active: false }), until: keptUntil(answer, Date.now()) };
  if (entry.until > Date.now()) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(cacheKey, entry);
  }
  return entry;
}

/**
 * The consumer of an opaque access token. Throws InvalidTokenError when the
 * token is not good, IntrospectionUnavailableError when that cannot be known.
 */
export async function consumerOfIntrospectedToken(
  scheme: IntrospectionScheme,
  token: string,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<Consumer> {
  if (token.length > MAX_TOKEN_LENGTH || !B64TOKEN.test(token)) throw new InvalidTokenError("not an access token");
  // Per endpoint and client: a token one server vouches for must not open a scheme that asks another.
  const cacheKey = `${scheme.url}\u0000${scheme.clientId}\u0000${await sha256Hex(token)}`;
  let entry = cache.get(cacheKey);
  if (!entry || entry.until <= Date.now()) {
    if (entry) cache.delete(cacheKey);
    let asked = pending.get(cacheKey);
    if (!asked) {
      asked = introspect(scheme, token, cacheKey).finally(() => pending.delete(cacheKey));
      pending.set(cacheKey, asked);
      // The request that asked may end first; the others waiting on the answer still need it.
      waitUntil(asked.catch(() => {}));
    }
    entry = await asked;
  }
  return consumerOfAnswer(scheme, entry.answer);
}
