/**
 * @module
 * The portal as an OpenID Connect relying party: the authorization code flow
 * with PKCE (S256), state and nonce (OpenID Connect Core 1.0 §3.1, RFC 7636),
 * the client authenticating with its secret at the token endpoint, and the ID
 * token verified with jose against the issuer's JWKS: issuer, audience, nonce,
 * exp and an asymmetric algorithm the provider lists, never the token's word.
 * Discovery documents and keys are cached per isolate (authenticate's key-sets).
 */
import { jwtVerify, type JWTPayload } from "jose";
import { CachedDocument, fetchJsonDocument, remoteKeys } from "../policies/authenticate/key-sets.ts";
import { base64url } from "./session.ts";

/** Why signing in failed, told to the developer on the page. */
export class SignInError extends Error {
  override name = "SignInError";
}

export interface Provider {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** client_secret_basic unless the provider lists only client_secret_post. */
  authMethod: "client_secret_basic" | "client_secret_post";
  algorithms: string[];
}

export interface Client {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

type WaitUntil = (promise: Promise<unknown>) => void;

// RFC 8725 §3.1: only the asymmetric algorithms the provider announces; a client secret is no verification key here.
const ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];
const COOLDOWN_SECONDS = 30;
const TOKEN_TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https, or http on this machine (a provider run for development or tests). */
export function isAllowedIssuerUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
}

const providers = new Map<string, CachedDocument<Provider>>();

function readProvider(issuer: string, found: Record<string, unknown>): Provider {
  // OpenID Connect Discovery §4.3: the document's issuer is exactly the one asked about.
  if (found.issuer !== issuer) throw new SignInError(`The provider's discovery document names the issuer ${String(found.issuer)}, not ${issuer}.`);
  const endpoint = (name: string) => {
    const value = found[name];
    if (typeof value !== "string" || !isAllowedIssuerUrl(value) || (new URL(value).protocol === "http:" && new URL(issuer).protocol !== "http:")) {
      throw new SignInError(`The provider's ${name} is missing or not HTTPS.`);
    }
    return value;
  };
  const listed = (name: string) =>
    Array.isArray(found[name]) ? (found[name] as unknown[]).filter((item): item is string => typeof item === "string") : undefined;
  const methods = listed("token_endpoint_auth_methods_supported");
  const algorithms = (listed("id_token_signing_alg_values_supported") ?? ["RS256"]).filter((alg) => ASYMMETRIC.includes(alg));
  if (algorithms.length === 0) throw new SignInError("The provider signs ID tokens with no asymmetric algorithm.");
  return {
    issuer,
    authorizationEndpoint: endpoint("authorization_endpoint"),
    tokenEndpoint: endpoint("token_endpoint"),
    jwksUri: endpoint("jwks_uri"),
    authMethod: methods && !methods.includes("client_secret_basic") && methods.includes("client_secret_post") ? "client_secret_post" : "client_secret_basic",
    algorithms,
  };
}

/** The provider as its discovery document describes it, cached; a failed refresh keeps the last good one. */
export async function discoverProvider(issuer: string, waitUntil: WaitUntil): Promise<Provider> {
  let document = providers.get(issuer);
  if (!document) {
    const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    providers.set(issuer, (document = new CachedDocument(async () => readProvider(issuer, await fetchJsonDocument(url)), COOLDOWN_SECONDS * 1000)));
  }
  try {
    return await document.current(waitUntil);
  } catch {
    throw new SignInError(`The sign-in provider ${issuer} cannot be reached or describes itself wrongly. Try again shortly.`);
  }
}

/** The URL the browser is sent to, with the PKCE challenge of `verifier`. */
export async function authorizationUrl(provider: Provider, client: Client, login: { state: string; nonce: string; verifier: string }): Promise<string> {
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(login.verifier))));
  const url = new URL(provider.authorizationEndpoint);
  const query = {
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: "openid profile email",
    state: login.state,
    nonce: login.nonce,
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.href;
}

/** Trades the code for tokens at the token endpoint; answers the ID token. */
export async function exchangeCode(provider: Provider, client: Client, code: string, verifier: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (provider.authMethod === "client_secret_basic") {
    // RFC 6749 §2.3.1: each part form-urlencoded before the basic encoding.
    const part = (text: string) => new URLSearchParams({ v: text }).toString().slice(2);
    headers.authorization = `Basic ${btoa(`${part(client.clientId)}:${part(client.clientSecret)}`)}`;
  } else {
    form.set("client_id", client.clientId);
    form.set("client_secret", client.clientSecret);
  }
  let answer: Response;
  try {
    answer = await fetch(provider.tokenEndpoint, { method: "POST", headers, body: form, redirect: "manual", signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS) });
  } catch {
    throw new SignInError("The sign-in provider's token endpoint cannot be reached. Try again shortly.");
  }
  const body = (await answer.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
  if (!answer.ok || typeof body.id_token !== "string") {
    throw new SignInError(`The sign-in provider refused the code (${typeof body.error === "string" ? body.error : answer.status}). Sign in again.`);
  }
  return body.id_token;
}

/** The ID token's claims, once it is proven to be the provider's, for this client and this sign-in. */
export async function verifyIdToken(
  provider: Provider,
  idToken: string,
  clientId: string,
  nonce: string,
  waitUntil: WaitUntil,
): Promise<JWTPayload & { sub: string }> {
  try {
    const { payload } = await jwtVerify(idToken, remoteKeys(provider.jwksUri, COOLDOWN_SECONDS, waitUntil), {
      issuer: provider.issuer,
      audience: clientId,
      algorithms: provider.algorithms,
      requiredClaims: ["sub", "exp", "iat", "nonce"],
      clockTolerance: 60,
    });
    // Core §3.1.3.7: with several audiences, azp must name this client.
    const several = Array.isArray(payload.aud) && payload.aud.length > 1;
    if (payload.nonce !== nonce || (several && payload.azp !== clientId) || typeof payload.sub !== "string" || payload.sub === "") throw new Error("claims");
    return payload as JWTPayload & { sub: string };
  } catch {
    throw new SignInError("The sign-in provider's ID token could not be verified. Sign in again.");
  }
}
