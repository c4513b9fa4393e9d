/**
 * Signs test tokens inside workerd with the keys test/setup.ts generated
 * (served as JWKS by test/support/auth-server.ts).
 */
import { importJWK, SignJWT, type JWK } from "jose";
import { inject } from "vitest";

export const keys = inject("testKeys");
export const authUrl = `http://127.0.0.1:${inject("authPort")}`;

const b64url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");

export interface TokenOptions {
  key?: JWK;
  alg?: string;
  header?: Record<string, unknown>;
}

/** A token valid for the `bearer` scheme unless claims or options say otherwise; `undefined` drops a claim. */
export async function token(claims: Record<string, unknown> = {}, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = Object.fromEntries(
    Object.entries({ iss: "https://issuer.test/", aud: "museum", sub: "user-1", iat: now, exp: now + 300, scope: "read:things", ...claims }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  const key = options.key ?? keys.rsa;
  const alg = options.alg ?? (key.alg as string);
  return new SignJWT(payload).setProtectedHeader({ alg, kid: key.kid, typ: "JWT", ...options.header }).sign(await importJWK(key, alg));
}

/** A token with an arbitrary header and payload and a given signature part (for forgeries). */
export function forged(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ""): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${signature}`;
}

/** An RS256 token over any header (even ones jose refuses to sign, such as an unknown crit). */
export async function signedRaw(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const input = `${b64url(JSON.stringify({ alg: "RS256", kid: keys.rsa.kid, ...header }))}.${b64url(JSON.stringify(payload))}`;
  const key = (await importJWK(keys.rsa, "RS256")) as CryptoKey;
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(input)));
  return `${input}.${b64url(String.fromCharCode(...signature))}`;
}

/** Upstream hits recorded under a probe id. */
export async function hits(probe: string): Promise<number> {
  return ((await (await fetch(`${authUrl}/control/hits/${probe}`)).json()) as { hits: number }).hits;
}

/** Upstream hits recorded under each of many probe ids, in their order. */
export async function hitsOf(probes: string[]): Promise<number[]> {
  return (await (await fetch(`${authUrl}/control/hits`, { method: "POST", body: JSON.stringify(probes) })).json()) as number[];
}

/** JWKS fetches per path, as the auth server counted them. */
export async function jwksFetches(): Promise<Record<string, number>> {
  return (await (await fetch(`${authUrl}/control/fetches`)).json()) as Record<string, number>;
}
