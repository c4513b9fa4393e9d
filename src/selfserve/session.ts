/**
 * @module
 * The portal's session: a random id in an HttpOnly, SameSite=Lax cookie
 * (Secure, with the __Host- prefix, everywhere but http on localhost), signed
 * with HMAC-SHA-256 under PORTICO_SESSION_SECRET so a forged cookie is refused
 * before any read, and a record in KV under the SHA-256 of the id, deleted at
 * sign-out so the same cookie replayed later finds nothing. Every change of
 * state carries a CSRF token (an HMAC of the session id) and must come from
 * the portal's own origin.
 */
import { sha256Hex } from "../runtime/digest.ts";

export const MIN_SESSION_SECRET_LENGTH = 32;
/** A session lasts 8 hours from sign-in. */
export const SESSION_SECONDS = 8 * 3600;
/** Between leaving for the provider and coming back: 10 minutes. */
export const LOGIN_SECONDS = 600;
const SESSION_PREFIX = "session:";

export interface Session {
  consumer: string;
  issuer: string;
  subject: string;
  /** What the page calls the developer: the ID token's name, email or sub. */
  name: string;
  createdAt: string;
}

export interface OpenSession extends Session {
  id: string;
  csrf: string;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether cookies can be Secure here; undefined on plain http anywhere but this machine, where signing in is refused. */
export function transportOf(request: Request): { secure: boolean } | undefined {
  const url = new URL(request.url);
  if (url.protocol === "https:") return { secure: true };
  return LOOPBACK.has(url.hostname) ? { secure: false } : undefined;
}

export function cookieNames(secure: boolean) {
  // __Host-: only ever set by this origin over HTTPS, with Path=/ (RFC 6265bis §4.1.3.2).
  const prefix = secure ? "__Host-" : "";
  return { session: `${prefix}portico-session`, login: `${prefix}portico-login` };
}

export function setCookie(name: string, value: string, maxAge: number, secure: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

const encoder = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export const randomToken = (bytes = 32) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

const keys = new Map<string, Promise<CryptoKey>>();

/** HMAC-SHA-256 under the session secret; `verify` compares in constant time (Web Crypto does). */
export class Signer {
  readonly #key: Promise<CryptoKey>;
  constructor(secret: string) {
    let key = keys.get(secret);
    if (!key) keys.set(secret, (key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"])));
    this.#key = key;
  }
  async sign(text: string): Promise<string> {
    return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await this.#key, encoder.encode(text))));
  }
  async verify(text: string, mac: string): Promise<boolean> {
    const bytes = fromBase64url(mac);
    return bytes !== undefined && crypto.subtle.verify("HMAC", await this.#key, bytes, encoder.encode(text));
  }
  /** `value.mac`, the value readable but not changeable. */
  async seal(value: string): Promise<string> {
    return `${value}.${await this.sign(value)}`;
  }
  /** The sealed value, or undefined when its mac does not match. */
  async open(sealed: string | undefined): Promise<string | undefined> {
    const at = sealed?.lastIndexOf(".") ?? -1;
    if (!sealed || at <= 0 || sealed.length > 4096) return undefined;
    const value = sealed.slice(0, at);
    return (await this.verify(value, sealed.slice(at + 1))) ? value : undefined;
  }
  /** The CSRF token of a session: bound to its id, useless with any other. */
  csrf(sessionId: string): Promise<string> {
    return this.sign(`csrf ${sessionId}`);
  }
}

const recordKey = async (id: string) => SESSION_PREFIX + (await sha256Hex(id));

/** Stores a new session and answers the cookie value that opens it. */
export async function startSession(kv: KVNamespace, signer: Signer, session: Session): Promise<string> {
  const id = randomToken();
  await kv.put(await recordKey(id), JSON.stringify(session), { expirationTtl: SESSION_SECONDS });
  return signer.seal(id);
}

/** The session a request's cookie opens: signed by us, and still stored (not signed out, not expired). */
export async function openSession(kv: KVNamespace, signer: Signer, request: Request, secure: boolean): Promise<OpenSession | undefined> {
  const id = await signer.open(readCookie(request, cookieNames(secure).session));
  if (!id) return undefined;
  const stored = await kv.get(await recordKey(id), "text");
  if (!stored) return undefined;
  let session: Session;
  try {
    session = JSON.parse(stored) as Session;
  } catch {
    return undefined;
  }
  if (Date.parse(session.createdAt) + SESSION_SECONDS * 1000 < Date.now()) return undefined;
  return { ...session, id, csrf: await signer.csrf(id) };
}

export async function endSession(kv: KVNamespace, session: OpenSession): Promise<void> {
  await kv.delete(await recordKey(session.id));
}

/**
 * Whether a state-changing request comes from the portal's own pages: its Origin
 * is ours (or, without one, Sec-Fetch-Site says same-origin), and its CSRF token
 * is the session's.
 */
export async function isSameSiteChange(request: Request, signer: Signer, session: OpenSession, token: unknown): Promise<boolean> {
  const origin = request.headers.get("origin");
  const ours = origin !== null ? origin === new URL(request.url).origin : request.headers.get("sec-fetch-site") === "same-origin";
  return ours && typeof token === "string" && (await signer.verify(`csrf ${session.id}`, token));
}
