/**
 * The portal's relying-party checks inside workerd, against the test identity server's
 * JWKS: an ID token passes only from the issuer, for the client, with the sign-in's nonce,
 * signed with an algorithm the provider lists; a discovery document naming another issuer
 * is refused; a sealed cookie value opens only untouched.
 */
import { describe, expect, it } from "vitest";
import { SignInError, discoverProvider, verifyIdToken, type Provider } from "../../src/selfserve/oidc.ts";
import { Signer } from "../../src/selfserve/session.ts";
import { authUrl, forged, keys, token } from "../support/tokens.ts";

const provider: Provider = {
  issuer: "https://issuer.test/",
  authorizationEndpoint: "https://issuer.test/auth",
  tokenEndpoint: "https://issuer.test/token",
  jwksUri: `${authUrl}/keys/jwks.json`,
  authMethod: "client_secret_basic",
  algorithms: ["RS256"],
};
const waitUntil = (promise: Promise<unknown>) => void promise.catch(() => {});
const idToken = (claims: Record<string, unknown> = {}, options: Parameters<typeof token>[1] = {}) =>
  token({ aud: "portal", nonce: "n-1", scope: undefined, ...claims }, options);
const verify = (jwt: string) => verifyIdToken(provider, jwt, "portal", "n-1", waitUntil);

describe("the portal's ID token checks", () => {
  it("accepts the provider's token for this client and this sign-in", async () => {
    expect((await verify(await idToken())).sub).toBe("user-1");
  });

  it.each([
    ["another sign-in's nonce", { nonce: "n-2" }],
    ["no nonce", { nonce: undefined }],
    ["another client", { aud: "other" }],
    ["several audiences and no azp", { aud: ["portal", "other"] }],
    ["another issuer", { iss: "https://evil.test/" }],
    ["an expired token", { exp: Math.floor(Date.now() / 1000) - 3600 }],
    ["no sub", { sub: undefined }],
  ])("refuses %s", async (_case, claims) => {
    await expect(verify(await idToken(claims))).rejects.toBeInstanceOf(SignInError);
  });

  it("refuses an algorithm the provider does not list, alg none, and HS256 made with the public key", async () => {
    await expect(verify(await idToken({}, { key: keys.ec }))).rejects.toBeInstanceOf(SignInError);
    const claims = { iss: provider.issuer, aud: "portal", sub: "user-1", nonce: "n-1", iat: 1, exp: 9_999_999_999 };
    await expect(verify(forged({ alg: "none", typ: "JWT" }, claims))).rejects.toBeInstanceOf(SignInError);
    await expect(verify(forged({ alg: "HS256", kid: keys.rsa.kid }, claims, "c2lnbmF0dXJl"))).rejects.toBeInstanceOf(SignInError);
  });

  it("refuses a discovery document that names another issuer", async () => {
    // The test server's document says https://oidc.test/ (OpenID Connect Discovery §4.3).
    await expect(discoverProvider(authUrl, waitUntil)).rejects.toBeInstanceOf(SignInError);
  });
});

describe("sealed cookie values", () => {
  it("open only as sealed, and only under the same secret", async () => {
    const signer = new Signer("a-session-secret-of-thirty-two-chars");
    const sealed = await signer.seal("session-id");
    expect(await signer.open(sealed)).toBe("session-id");
    expect(await signer.open(sealed.replace("session-id", "session-ie"))).toBeUndefined();
    expect(await signer.open(`${sealed.slice(0, -2)}AA`)).toBeUndefined();
    expect(await signer.open("session-id")).toBeUndefined();
    expect(await new Signer("another-session-secret-of-32-chars!").open(sealed)).toBeUndefined();
    expect(await signer.verify("csrf session-id", await signer.csrf("session-id"))).toBe(true);
    expect(await signer.verify("csrf other-session", await signer.csrf("session-id"))).toBe(false);
  });
});
