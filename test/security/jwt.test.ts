/**
 * A. Authentication, JWT schemes (A1–A8): every forged, confused or stale
 * token is a 401 with WWW-Authenticate and one body, the upstream never hears
 * of it, and no host but the document's key sets is ever asked for anything.
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { attackerSaw, expectRefused, identitySaw, send, suite, tag, upstreamSaw, type Answer } from "./support/gateway.ts";
import { claims, forged, hmacToken, keys, publicKeyEncodings, signedRaw, token } from "./support/tokens.ts";

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
const attacker = `http://127.0.0.1:${suite.attackerPort}`;
const now = () => Math.floor(Date.now() / 1000);

/** Sends each token to `path` under one case tag; every answer must be the one 401, and the upstream must hear nothing. */
async function expectAllRefused(id: string, path: string, tokens: Record<string, string>): Promise<void> {
  const caseTag = tag(id);
  const bodies = new Set<string>();
  for (const [name, credential] of Object.entries(tokens)) {
    const answer = await send(path, { headers: bearer(credential), tag: caseTag });
    expect(answer.status, `${name}: ${answer.text}`).toBe(401);
    expectRefused(answer);
    bodies.add(withoutRequest(answer));
  }
  // Whatever was wrong, the caller learns only that the token was refused.
  expect(bodies.size).toBe(1);
  expect(await upstreamSaw(caseTag)).toHaveLength(0);
}

/** The body and challenge of a refusal, without what differs per request. */
function withoutRequest(answer: Answer): string {
  const { requestId: _, traceId: __, ...body } = answer.json();
  return `${answer.headers.get("www-authenticate")} ${JSON.stringify(body)}`;
}

describe("A. Authentication: JWT", () => {
  it("A1: alg none in any spelling, with or without a signature → 401 invalid_token, 0 upstream hits", async () => {
    const payload = claims();
    const signature = (await token()).split(".")[2];
    await expectAllRefused("A1", "/bearer", {
      none: forged({ alg: "none", typ: "JWT" }, payload),
      None: forged({ alg: "None", typ: "JWT" }, payload),
      NONE: forged({ alg: "NONE", typ: "JWT" }, payload),
      "none with a kid": forged({ alg: "none", kid: "rsa-1" }, payload),
      "none with a real signature": forged({ alg: "none", kid: "rsa-1" }, payload, signature),
      "no alg at all": forged({ kid: "rsa-1" }, payload, signature),
      "empty alg": forged({ alg: "", kid: "rsa-1" }, payload),
    });
    const answer = await send("/bearer", { headers: bearer(forged({ alg: "none" }, payload)) });
    expect(answer.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("A2: HS256/384/512 MACed with the RSA public key as PEM, DER, base64 and JWK → 401, 0 upstream hits", async () => {
    const tokens: Record<string, string> = {};
    for (const [encoding, secret] of Object.entries(publicKeyEncodings())) {
      for (const alg of ["HS256", "HS384", "HS512"] as const) tokens[`${alg} with ${encoding}`] = hmacToken(alg, secret);
    }
    tokens["HS256 without a kid"] = hmacToken("HS256", publicKeyEncodings()["SPKI PEM"], { kid: undefined });
    await expectAllRefused("A2", "/bearer", tokens);
  });

  it("A3: ES256, PS256 and RS512 from keys of the key set against an RS256-only scheme → 401; RS256 against ES256-only → 401", async () => {
    await expectAllRefused("A3", "/bearer", {
      ES256: await token({}, { key: keys.ec }),
      PS256: await token({}, { alg: "PS256" }),
      RS512: await token({}, { alg: "RS512" }),
      "RS384 labelled RS256": signedRaw({ alg: "RS384" }, claims()),
    });
    await expectAllRefused("A3", "/es256", { RS256: await token(), "ES256 naming the RSA key": await token({}, { key: keys.ec, header: { kid: "rsa-1" } }) });
    // The same keys, each where its algorithm is pinned, pass: the refusals above are the algorithm's.
    expect((await send("/bearer", { headers: bearer(await token()) })).status).toBe(200);
    expect((await send("/es256", { headers: bearer(await token({}, { key: keys.ec })) })).status).toBe(200);
  });

  it("A4: exp missing, not a number or past the skew, nbf ahead of it → 401; exp and nbf within the skew → 200", async () => {
    await expectAllRefused("A4", "/bearer", {
      "no exp": await token({ exp: undefined }),
      "exp as text": signedRaw({}, claims({ exp: String(now() + 300) })),
      "exp null": signedRaw({}, claims({ exp: null })),
      "exp 90 s ago": await token({ exp: now() - 90 }),
      "exp at the epoch": await token({ exp: 0 }),
      "nbf in 90 s": await token({ nbf: now() + 90 }),
      "iat as text": signedRaw({}, claims({ iat: "yesterday" })),
    });
    // The default skew is 30 s.
    expect((await send("/bearer", { headers: bearer(await token({ exp: now() - 10 })) })).status).toBe(200);
    expect((await send("/bearer", { headers: bearer(await token({ nbf: now() + 10 })) })).status).toBe(200);
  });

  it("A5: wrong, look-alike or missing iss; wrong, missing or foreign aud → 401; an aud list holding ours → 200", async () => {
    await expectAllRefused("A5", "/bearer", {
      "another issuer": await token({ iss: "https://evil.test/" }),
      "issuer without its slash": await token({ iss: "https://issuer.test" }),
      "issuer in capitals": await token({ iss: "HTTPS://ISSUER.TEST/" }),
      "issuer with a suffix": await token({ iss: "https://issuer.test/.evil" }),
      "no issuer": await token({ iss: undefined }),
      "issuer as a list": signedRaw({}, claims({ iss: ["https://issuer.test/"] })),
      "another audience": await token({ aud: "billing" }),
      "audience with a prefix": await token({ aud: "museum-admin" }),
      "no audience": await token({ aud: undefined }),
      "audience list without ours": await token({ aud: ["billing", "shop"] }),
      "empty audience list": await token({ aud: [] }),
    });
    expect((await send("/bearer", { headers: bearer(await token({ aud: ["billing", "museum"] })) })).status).toBe(200);
  });

  it("A6: kid as a path, as SQL, 8 KB long or unknown → 401; only the document's key sets are ever fetched", async () => {
    await expectAllRefused("A6", "/bearer", {
      traversal: await token({}, { header: { kid: "../../../../etc/passwd" } }),
      "encoded traversal": await token({}, { header: { kid: "..%2f..%2fjwks%2fmain.json" } }),
      sql: await token({}, { header: { kid: "' OR 1=1--" } }),
      "8 KB": await token({}, { header: { kid: "k".repeat(8192) } }),
      unknown: await token({}, { header: { kid: "no-such-key" } }),
      "kid as a number": signedRaw({ kid: 1 }, claims()),
      "kid as an object": signedRaw({ kid: { $ne: null } }, claims()),
    });
    const { paths } = await identitySaw();
    for (const path of paths) expect(path).toMatch(/^\/jwks\/[a-z-]+\.json$/);
  });

  it("A6: jku, x5u, an embedded jwk or x5c naming another host or key → 401, and that host hears nothing", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const theirs = { ...(await exportJWK(publicKey)), kid: "attacker-1", alg: "RS256" };
    const signed = (header: Record<string, unknown>) => new SignJWT(claims()).setProtectedHeader({ alg: "RS256", typ: "JWT", ...header }).sign(privateKey);
    await expectAllRefused("A6", "/bearer", {
      jku: await signed({ kid: "attacker-1", jku: `${attacker}/jwks.json` }),
      "jku with a known kid": await signed({ kid: "rsa-1", jku: `${attacker}/jwks.json` }),
      x5u: await signed({ kid: "attacker-1", x5u: `${attacker}/cert.pem` }),
      "embedded jwk": await signed({ kid: "attacker-1", jwk: theirs }),
      "embedded jwk with a known kid": await signed({ kid: "rsa-1", jwk: { ...theirs, kid: "rsa-1" } }),
      "embedded jwk without a kid": await signed({ jwk: theirs }),
      x5c: await signed({ kid: "attacker-1", x5c: ["MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBmF0dGFjazAeFw0="] }),
    });
    expect(await attackerSaw()).toEqual([]);
  });

  it("A7: an ID token (typ JWT), no typ or another typ where at+jwt is required → 401; at+jwt and application/at+jwt → 200", async () => {
    await expectAllRefused("A7", "/access-token", {
      "typ JWT": await token(),
      "no typ": await token({}, { header: { typ: undefined } }),
      "typ id_token": await token({}, { header: { typ: "id_token+jwt" } }),
      "typ at+jwt with a suffix": await token({}, { header: { typ: "at+jwt+evil" } }),
    });
    expect((await send("/access-token", { headers: bearer(await token({}, { header: { typ: "at+jwt" } })) })).status).toBe(200);
    expect((await send("/access-token", { headers: bearer(await token({}, { header: { typ: "application/at+jwt" } })) })).status).toBe(200);
  });

  it("A8: a flipped bit, two or four segments, bad base64url, a header or payload that is no JSON object, unknown crit → 401, never 500", async () => {
    const good = await token();
    const [header, payload, signature] = good.split(".");
    const flipped = Buffer.from(payload, "base64url");
    flipped[flipped.length - 3] ^= 0x01;
    await expectAllRefused("A8", "/bearer", {
      "flipped payload bit": `${header}.${flipped.toString("base64url")}.${signature}`,
      "flipped signature bit": `${header}.${payload}.${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`,
      "two segments": `${header}.${payload}`,
      "four segments": `${good}.${signature}`,
      "bad base64url": `${header}.${payload}!*.${signature}`,
      "padded base64": `${header}==.${payload}.${signature}`,
      "unknown crit": signedRaw({ crit: ["x-must-understand"], "x-must-understand": true }, claims()),
      "crit naming nothing": signedRaw({ crit: [] }, claims()),
      "header not JSON": `${Buffer.from("{alg:RS256").toString("base64url")}.${payload}.${signature}`,
      "payload not an object": signedRaw({}, [claims()] as unknown as Record<string, unknown>),
    });
  });

  it("A8: a mangled Bearer, another scheme's prefix or two tokens in one request → 401, never 500", async () => {
    const good = await token();
    const caseTag = tag("A8");
    const variants: Array<[string, Record<string, string>, string?]> = [
      ["no token", { authorization: "Bearer" }],
      ["Basic prefix", { authorization: `Basic ${good}` }],
      ["token without prefix", { authorization: good }],
      ["trailing junk", { authorization: `Bearer ${good} extra` }],
      ["two tokens in one header", { authorization: `Bearer ${good}, Bearer ${await token({ sub: "user-2" })}` }],
      ["header and query", { authorization: `Bearer ${good}` }, `?access_token=${await token({ sub: "user-2" })}`],
      ["the same token twice", { authorization: `Bearer ${good}` }, `?access_token=${good}`],
    ];
    const statuses: Record<string, number> = {};
    for (const [name, headers, query = ""] of variants) statuses[name] = (await send(`/bearer${query}`, { headers, tag: caseTag })).status;
    expect(statuses).toEqual(Object.fromEntries(variants.map(([name]) => [name, 401])));
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
  });

  it("A8: a token with a 16 KB header, or 64 KB long, is refused, never 500, 0 upstream hits", async () => {
    const caseTag = tag("A8");
    for (const oversized of [await token({}, { header: { pad: "p".repeat(16 * 1024) } }), await token({ pad: "p".repeat(64 * 1024) })]) {
      // 431 where the header section outgrows what the server reads (16 KB for `npm run dev`, 32 KB at the edge).
      expect([401, 431]).toContain((await send("/bearer", { headers: bearer(oversized), tag: caseTag })).status);
    }
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
  });
});
