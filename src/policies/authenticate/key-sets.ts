/**
 * @module
 * JWKS fetched from a URL (or found through OpenID Connect discovery), one set
 * per URL per isolate. jose's createRemoteJWKSet is not used because it
 * re-fetches per request in Workers (it cannot share a pending fetch there),
 * and drops its cached keys when a refresh fails; here concurrent misses
 * share one fetch (kept alive by waitUntil), a failed refresh keeps serving
 * the last good keys, and any refetch happens at most once per cooldown.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { readBounded } from "../../runtime/read-bounded.ts";

/** jose's key resolver shape. */
export type KeyResolver = JWTVerifyGetKey;

/** How long fetched keys are trusted before a refresh is attempted. */
const MAX_AGE_MS = 10 * 60_000;
const TIMEOUT_MS = 5_000;
/** A JWKS or discovery document is a few KB; anything this large is refused unread. */
const MAX_DOCUMENT_BYTES = 256 * 1024;

/** No keys to check tokens with: the caller answers 503, never 200. */
export class KeysUnavailableError extends Error {
  override name = "KeysUnavailableError";
}

async function readText(response: Response): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? 0);
  const bytes = declared > MAX_DOCUMENT_BYTES ? undefined : await readBounded(response.body, MAX_DOCUMENT_BYTES);
  if (!bytes) {
    await response.body?.cancel().catch(() => {});
    throw new KeysUnavailableError("key document too large");
  }
  return new TextDecoder().decode(bytes);
}

/** GETs a JSON document with a timeout and a size bound; never follows redirects. */
/** A JSON object fetched within the limits; its shape is the caller's to check (jose checks a JWKS's). */
export async function fetchJsonDocument<T extends object = Record<string, unknown>>(url: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new KeysUnavailableError(`${url} unreachable`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new KeysUnavailableError(`${url} answered ${response.status}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readText(response));
  } catch (error) {
    if (error instanceof KeysUnavailableError) throw error;
    throw new KeysUnavailableError(`${url} is not JSON`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new KeysUnavailableError(`${url} is not a JSON object`);
  return parsed as T;
}

/** A cached, self-refreshing document (a JWKS or a discovery document). */
export class CachedDocument<T> {
  #value: T | undefined;
  #fetchedAt = -Infinity;
  #attemptedAt = -Infinity;
  #pending: Promise<void> | undefined;
  readonly #load: () => Promise<T>;
  readonly #cooldownMs: number;

  constructor(load: () => Promise<T>, cooldownMs: number) {
    this.#load = load;
    this.#cooldownMs = cooldownMs;
  }

  get value(): T | undefined {
    return this.#value;
  }

  /** Refreshes unless one was attempted within the cooldown; shares a refresh in flight. */
  async refresh(waitUntil: (promise: Promise<unknown>) => void): Promise<void> {
    if (!this.#pending && Date.now() - this.#attemptedAt < this.#cooldownMs) return;
    if (!this.#pending) {
      this.#attemptedAt = Date.now();
      this.#pending = this.#load()
        .then(
          (value) => {
            this.#value = value;
            this.#fetchedAt = Date.now();
          },
          () => {}, // keep the last good value; the caller decides on undefined
        )
        .finally(() => (this.#pending = undefined));
      // The request that started the fetch may end first; keep it running for the others.
      waitUntil(this.#pending);
    }
    await this.#pending;
  }

  /**
   * The value. Only a caller with none waits for a fetch; one older than
   * MAX_AGE_MS is refreshed in the background (waitUntil) while it keeps
   * serving, and kept if that refresh fails.
   */
  async current(waitUntil: (promise: Promise<unknown>) => void): Promise<T> {
    if (this.#value === undefined) await this.refresh(waitUntil);
    else if (Date.now() - this.#fetchedAt > MAX_AGE_MS) void this.refresh(waitUntil);
    if (this.#value === undefined) throw new KeysUnavailableError("keys not available");
    return this.#value;
  }
}

const documents = new Map<string, CachedDocument<any>>();

function cached<T>(key: string, load: () => Promise<T>, cooldownMs: number): CachedDocument<T> {
  let document = documents.get(key);
  if (!document) documents.set(key, (document = new CachedDocument(load, cooldownMs)));
  return document;
}

/**
 * The JWKS at a URL as a jose resolver; an unknown kid triggers one refetch per cooldown.
 * Schemes share a set only when they share its cooldown too, so one scheme's
 * refetches never spend another's.
 */
export function remoteKeys(url: string, cooldownSeconds: number, waitUntil: (promise: Promise<unknown>) => void): KeyResolver {
  const set = cached<KeyResolver>(
    `jwks ${cooldownSeconds} ${url}`,
    async () => createLocalJWKSet(await fetchJsonDocument<JSONWebKeySet>(url)),
    cooldownSeconds * 1000,
  );
  return async (header, token) => {
    const resolve = await set.current(waitUntil);
    try {
      return await resolve(header, token);
    } catch (error) {
      if ((error as { code?: string }).code !== "ERR_JWKS_NO_MATCHING_KEY") throw error;
      await set.refresh(waitUntil);
      return await set.value!(header, token);
    }
  };
}

/** The issuer and jwks_uri an OpenID Connect discovery document names. */
export async function discover(
  url: string,
  cooldownSeconds: number,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<{ issuer?: string; jwks: string }> {
  const document = cached(
    `oidc ${url}`,
    async () => {
      const found = await fetchJsonDocument(url);
      if (typeof found.jwks_uri !== "string") throw new KeysUnavailableError(`${url} names no jwks_uri`);
      return { issuer: typeof found.issuer === "string" ? found.issuer : undefined, jwks: found.jwks_uri };
    },
    cooldownSeconds * 1000,
  );
  return document.current(waitUntil);
}
