/**
 * Tokens for the JWT cases, signed in Node with the identity provider's keys:
 * valid ones, and forgeries jose would refuse to make (unknown crit, HMACs
 * keyed with a public key, no signature at all).
 */
import { createHmac, createPrivateKey, createPublicKey, sign as signBytes } from "node:crypto";
import { importJWK, SignJWT, type JWK } from "jose";
import { suite } from "./gateway.ts";

export const keys = suite.signingKeys;
export const ISSUER = "https://issuer.test/";
export const AUDIENCE = "museum";

const b64url = (data: string | Buffer): string => Buffer.from(data).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** Claims of a token the `bearer` scheme takes; `undefined` drops one. */
export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const all = { iss: ISSUER, aud: AUDIENCE, sub: "user-1", iat: now(), exp: now() + 300, scope: "read:things", ...overrides };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** A token signed by `key` (RS256 rsa-1 by default) with the given header fields over the defaults. */
export async function token(
  overrides: Record<string, unknown> = {},
  options: { key?: JWK; alg?: string; header?: Record<string, unknown> } = {},
): Promise<string> {
  const key = options.key ?? keys.rsa;
  const alg = options.alg ?? (key.alg as string);
  return new SignJWT(claims(overrides)).setProtectedHeader({ alg, kid: key.kid, typ: "JWT", ...options.header }).sign(await importJWK(key, alg));
}

/** header.payload.signature from parts as given, nothing checked. */
export function forged(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ""): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${signature}`;
}

/** A token over any header whatsoever, signed with the RSA key (RS256) or `key`/`algorithm` as Node names them. */
export function signedRaw(header: Record<string, unknown>, payload: Record<string, unknown>, key: JWK = keys.rsa): string {
  const input = `${b64url(JSON.stringify({ alg: "RS256", kid: key.kid, ...header }))}.${b64url(JSON.stringify(payload))}`;
  const signature = signBytes("sha256", Buffer.from(input), createPrivateKey({ key: key as import("node:crypto").JsonWebKey, format: "jwk" }));
  return `${input}.${b64url(signature)}`;
}

/** An HMAC token (HS256/384/512) whose secret is `secret`: the classic key confusion when it is a public key. */
export function hmacToken(alg: "HS256" | "HS384" | "HS512", secret: string | Buffer, header: Record<string, unknown> = {}): string {
  const input = `${b64url(JSON.stringify({ alg, typ: "JWT", kid: keys.rsa.kid, ...header }))}.${b64url(JSON.stringify(claims()))}`;
  const mac = createHmac(`sha${alg.slice(2)}`, secret)
    .update(input)
    .digest();
  return `${input}.${b64url(mac)}`;
}

/** The RSA key's public half in the encodings a confused verifier might take as an HMAC secret. */
export function publicKeyEncodings(): Record<string, string | Buffer> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = keys.rsa;
  const key = createPublicKey({ key: publicJwk as import("node:crypto").JsonWebKey, format: "jwk" });
  const pem = key.export({ type: "spki", format: "pem" }).toString();
  const der = key.export({ type: "spki", format: "der" });
  return {
    "SPKI PEM": pem,
    "SPKI PEM without its last newline": pem.trimEnd(),
    "PKCS#1 PEM": key.export({ type: "pkcs1", format: "pem" }).toString(),
    "DER bytes": der,
    "DER as base64": der.toString("base64"),
    "JWK n": publicJwk.n as string,
    "JWK as JSON": JSON.stringify(publicJwk),
  };
}
