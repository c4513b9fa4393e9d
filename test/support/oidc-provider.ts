/**
 * A real OpenID Connect provider on 127.0.0.1 for the portal's sign-in tests:
 * panva's oidc-provider with its development sign-in pages (any login name
 * with any password signs in as that name, then a consent screen), one
 * confidential client, PKCE required, RS256 ID tokens from a key made for the run.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface OidcProvider {
  issuer: string;
  /** Sign-ins completed so far (codes exchanged). */
  tokens(): number;
  close(): Promise<void>;
}

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** Starts the provider on `port` (0: a free one) for `client`; its issuer is http://127.0.0.1:<port>. */
export async function startOidcProvider(client: OidcClient, port = 0): Promise<OidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" }] },
    cookies: { keys: ["portico-test-cookie-key"] },
    claims: { openid: ["sub"], profile: ["name"], email: ["email"] },
    // The ID token carries name and email, which the portal shows.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, name: `Developer ${sub}`, email: `${sub}@example.test` }) }),
  });
  let tokens = 0;
  provider.on("grant.success", () => tokens++);
  server.on("request", provider.callback());
  return {
    issuer,
    tokens: () => tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
