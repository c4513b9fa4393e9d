import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { apiKeyHash, consumerStorageKey, generateApiKey } from "../../src/policies/authenticate/key-format.ts";
import gateway from "../.generated/auth/app.ts";
import { call, problemOf } from "../support/call.ts";
import { storeConsumer } from "../support/consumers.ts";
import { introspections, opaqueToken, revokeOpaque } from "../support/opaque-tokens.ts";
import { authUrl, forged, hits, jwksFetches, keys, signedRaw, token } from "../support/tokens.ts";

let probes = 0;
/** Sends a request tagged with a fresh probe id, so its upstream hits can be counted. */
async function send(path: string, headers: Record<string, string> = {}) {
  const probe = `p${++probes}-${crypto.randomUUID()}`;
  const response = await call(gateway, path, { headers: { ...headers, "x-probe": probe } });
  return { response, probe };
}

/** Expects a 401 problem with WWW-Authenticate that never reached the upstream; returns the stable part of the body. */
async function refused(path: string, headers: Record<string, string> = {}, status = 401) {
  const { response, probe } = await send(path, headers);
  expect(response.status, `${path} ${JSON.stringify(headers).slice(0, 120)}`).toBe(status);
  expect(response.headers.get("www-authenticate")).toBeTruthy();
  const body = await problemOf(response);
  expect(await hits(probe)).toBe(0);
  const { requestId: _id, traceId: _trace, ...stable } = body;
  return { stable, challenge: response.headers.get("www-authenticate")! };
}

async function admitted(path: string, headers: Record<string, string> = {}) {
  const { response, probe } = await send(path, headers);
  expect(response.status, `${path} ${await response.clone().text()}`).toBe(200);
  expect(await hits(probe)).toBe(1);
  return (await response.json()) as { headers: Record<string, string>; target: string };
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

let goodKey: string;
let adminKey: string;
beforeAll(async () => {
  goodKey = await storeConsumer({ id: "acme", tier: "paid", scopes: ["read"] });
  adminKey = await storeConsumer({ id: "root", scopes: ["admin"] });
});

describe("A1–A8: bearer tokens", () => {
  it("admits a good RS256 token and maps the consumer (sub, scopes, tier claim)", async () => {
    const echo = await admitted("/bearer", bearer(await token({ plan: "gold" })));
    expect(echo.headers["x-consumer-id"]).toBe("bearer:user-1");
    expect(echo.headers["x-consumer-tier"]).toBe("gold");
    expect(echo.headers["x-consumer-scopes"]).toBe("read:things");
    expect(echo.headers.authorization).toBeUndefined();
  });

  it("A1: alg none with an empty signature", async () => {
    const { challenge } = await refused(
      "/bearer",
      bearer(forged({ alg: "none", typ: "JWT" }, { sub: "x", iss: "https://issuer.test/", aud: "museum", exp: 9e9 })),
    );
    expect(challenge).toContain('error="invalid_token"');
  });

  it("A2: HS256 MACed with the RSA public key (key confusion)", async () => {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = keys.rsa;
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const { SignJWT } = await import("jose");
    const now = Math.floor(Date.now() / 1000);
    const hs = await new SignJWT({ sub: "x", iss: "https://issuer.test/", aud: "museum", exp: now + 60 })
      .setProtectedHeader({ alg: "HS256", kid: "rsa-1" })
      .sign(secret);
    await refused("/bearer", bearer(hs));
  });

  it("A3: a valid ES256 signature from a JWKS key when the scheme pins RS256", async () => {
    await refused("/bearer", bearer(await token({}, { key: keys.ec })));
  });

  it("A4: no exp, exp past the skew, nbf in the future; exp within the skew passes", async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused("/bearer", bearer(await token({ exp: undefined })));
    await refused("/bearer", bearer(await token({ exp: now - 120 })));
    await refused("/bearer", bearer(await token({ nbf: now + 120 })));
    await admitted("/bearer", bearer(await token({ exp: now - 10 })));
  });

  it("A5: wrong iss, wrong or missing aud, an aud array without ours", async () => {
    await refused("/bearer", bearer(await token({ iss: "https://evil.test/" })));
    await refused("/bearer", bearer(await token({ aud: "other" })));
    await refused("/bearer", bearer(await token({ aud: undefined })));
    await refused("/bearer", bearer(await token({ aud: ["a", "b"] })));
    await admitted("/bearer", bearer(await token({ aud: ["a", "museum"] })));
  });

  it("A6: hostile kid values and jku/x5u/jwk headers; only the configured JWKS is ever fetched", async () => {
    // 4 KB: under the token length cap, so the kid itself is what is refused.
    for (const kid of ["../../x", "' OR 1=1--", "k".repeat(4096), "unknown-kid"]) {
      await refused("/bearer", bearer(await token({}, { header: { kid } })));
    }
    const { kty, n, e } = keys.rsa;
    await refused(
      "/bearer",
      bearer(await token({}, { header: { kid: "nope", jku: `${authUrl}/keys/attacker.json`, x5u: `${authUrl}/keys/x5u.pem`, jwk: { kty, n, e } } })),
    );
    const fetched = Object.keys(await jwksFetches());
    expect(fetched.filter((path) => path !== "/keys/jwks.json" && path !== "/keys/rotating.json" && path !== "/keys/oidc.json")).toEqual([]);
  });

  it("keeps token-proven consumers apart from API-key consumers: <scheme name>:<sub>, unless the scheme sets consumerPrefix", async () => {
    // A token whose sub is an API-key consumer's id is not that consumer.
    expect((await admitted("/bearer", bearer(await token({ sub: "acme" })))).headers["x-consumer-id"]).toBe("bearer:acme");
    expect((await admitted("/key", { "x-api-key": goodKey })).headers["x-consumer-id"]).toBe("acme");
    const plain = await admitted("/access-token", bearer(await token({ sub: "acme" }, { header: { typ: "at+jwt" } })));
    expect(plain.headers["x-consumer-id"]).toBe("acme");
  });

  it("refuses a signed token whose consumer or tier claim could not travel as a header value", async () => {
    await refused("/bearer", bearer(await token({ sub: "user\r\nx-consumer-id: admin" })));
    await refused("/bearer", bearer(await token({ plan: "gold\nx" })));
    await refused("/bearer", bearer(await token({ sub: 42 })));
  });

  it("tells the upstream a consumer whose id is not ASCII percent-encoded, and % as %25; ctx keeps the id", async () => {
    expect((await admitted("/bearer", bearer(await token({ sub: "José-山田" })))).headers["x-consumer-id"]).toBe("bearer:Jos%C3%A9-%E5%B1%B1%E7%94%B0");
    expect((await admitted("/bearer", bearer(await token({ sub: "100%", plan: "or" })))).headers).toMatchObject({
      "x-consumer-id": "bearer:100%25",
      "x-consumer-tier": "or",
    });
    expect((await admitted("/bearer", bearer(await token({ sub: "auth0|abc" })))).headers["x-consumer-id"]).toBe("bearer:auth0|abc");
  });

  it("takes an iat in the future: it is informational (RFC 7519 §4.1.6); exp and nbf decide", async () => {
    const now = Math.floor(Date.now() / 1000);
    await admitted("/bearer", bearer(await token({ iat: now + 3600, exp: now + 7200 })));
    await refused("/bearer", bearer(await token({ iat: "yesterday" })));
  });

  it("A7: an ID token (typ JWT) where at+jwt is required", async () => {
    await refused("/access-token", bearer(await token()));
    await admitted("/access-token", bearer(await token({}, { header: { typ: "at+jwt" } })));
  });

  it("A8: tampered, truncated, malformed, oversized, crit, mangled and doubled tokens: 401, never 500", async () => {
    const good = await token();
    const [h, p, s] = good.split(".");
    const flipped = p.slice(0, 10) + (p[10] === "A" ? "B" : "A") + p.slice(11);
    const cases: Array<Record<string, string>> = [
      bearer(`${h}.${flipped}.${s}`),
      bearer(`${h}.${p}`),
      bearer(`${h}.${p}.!!not-base64!!`),
      bearer("%%%.@@@.###"),
      bearer(await token({}, { header: { pad: "x".repeat(16 * 1024) } })),
      bearer(
        await signedRaw(
          { crit: ["x-unknown"], "x-unknown": 1 },
          { sub: "x", iss: "https://issuer.test/", aud: "museum", exp: Math.floor(Date.now() / 1000) + 60 },
        ),
      ),
      { authorization: "Bearer" },
      { authorization: `Bearer ${good} extra` },
      { authorization: `Bearerx ${good}` },
      { authorization: `Bearer ${good}, Bearer ${await token({ sub: "other" })}` },
    ];
    for (const headers of cases) await refused("/bearer", headers);
    // The hand-signed token is refused for its crit alone: without it, it passes.
    await admitted("/bearer", bearer(await signedRaw({}, { sub: "x", iss: "https://issuer.test/", aud: "museum", exp: Math.floor(Date.now() / 1000) + 60 })));
    await refused(`/bearer?access_token=${await token({ sub: "other" })}`, bearer(good));
    await refused(`/bearer?access%5Ftoken=${await token({ sub: "other" })}`, bearer(good));
  });

  it("verifies tokens against static keys from env (SPKI PEM)", async () => {
    await admitted("/static", bearer(await token({}, { key: keys.staticKey })));
    await refused("/static", bearer(await token()));
  });

  it("finds keys through OpenID Connect discovery, issuer included", async () => {
    await admitted("/oidc", bearer(await token({ iss: "https://oidc.test/" })));
    await refused("/oidc", bearer(await token()));
  });
});

describe("A9–A11: API keys, requirements, credential hygiene", () => {
  it("admits a stored key and tells the upstream who called, without the key", async () => {
    const echo = await admitted("/key", { "x-api-key": goodKey });
    expect(echo.headers["x-consumer-id"]).toBe("acme");
    expect(echo.headers["x-consumer-tier"]).toBe("paid");
    expect(echo.headers["x-api-key"]).toBeUndefined();
  });

  it("A9: KV holds consumers only under the SHA-256 of their key, never the key", async () => {
    const { keys: stored } = await env.CONSUMERS.list();
    expect(stored.length).toBeGreaterThan(0);
    for (const { name } of stored) expect(name).toMatch(/^key:[0-9a-f]{64}$/);
    expect(JSON.stringify(await Promise.all(stored.map(({ name }) => env.CONSUMERS.get(name))))).not.toContain(goodKey);
  });

  it("a key of one consumer namespace never opens a scheme that reads another, cached or not", async () => {
    await admitted("/key", { "x-api-key": goodKey });
    await refused("/partner", { "x-partner-key": goodKey });
    const partnerKey = await storeConsumer({ id: "partner-1" }, env.PARTNERS);
    const echo = await admitted("/partner", { "x-partner-key": partnerKey });
    expect(echo.headers["x-consumer-id"]).toBe("partner-1");
    await refused("/key", { "x-api-key": partnerKey });
  });

  it("A9: unknown key, key in the wrong place, one character off: the same 401 body each time", async () => {
    const last = goodKey.at(-1) === "a" ? "b" : "a";
    const bodies = [
      await refused("/key", { "x-api-key": generateApiKey() }),
      await refused(`/key?X-API-Key=${goodKey}`),
      await refused("/key", { "x-api-key": goodKey.slice(0, -1) + last }),
      await refused("/key"),
    ].map((r) => r.stable);
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(bodies[0].detail).not.toContain(goodKey.slice(4, 12));
  });

  it("reads keys from the query and from cookies, and drops them before forwarding", async () => {
    const echo = await admitted(`/query-key?a=1&api_key=${goodKey}&b=%2F`);
    expect(echo.target).toBe("/query-key?a=1&b=%2F");
    // An escaped name is the same parameter to the upstream's parser: read, and dropped.
    const escaped = await admitted(`/query-key?api%5Fkey=${goodKey}&a=1`);
    expect(escaped.target).toBe("/query-key?a=1");
    const cookie = await admitted("/cookie-key", { cookie: `theme=dark; session_key=${goodKey}` });
    expect(cookie.headers.cookie).toBe("theme=dark");
  });

  it("refuses expired and disabled consumers", async () => {
    const expired = await storeConsumer({ id: "old", expiresAt: new Date(Date.now() - 1000).toISOString() });
    const disabled = await storeConsumer({ id: "off", disabled: true });
    await refused("/key", { "x-api-key": expired });
    await refused("/key", { "x-api-key": disabled });
  });

  it("checks HTTP basic against consumers: user = consumer id, password = an API key", async () => {
    const basic = (user: string, password: string) => ({ authorization: `Basic ${btoa(`${user}:${password}`)}` });
    const echo = await admitted("/basic", basic("acme", goodKey));
    expect(echo.headers["x-consumer-id"]).toBe("acme");
    expect(echo.headers.authorization).toBeUndefined();
    const { challenge } = await refused("/basic", basic("someone-else", goodKey));
    expect(challenge).toContain("Basic");
    await refused("/basic", { authorization: "Basic %%%" });
  });

  it("A10: OR passes with either, AND needs both, [] is open, {} makes the key optional", async () => {
    const jwt = await token();
    await admitted("/either", { "x-api-key": goodKey });
    await admitted("/either", bearer(jwt));
    await refused("/either");
    await refused("/both", { "x-api-key": goodKey });
    await refused("/both", bearer(jwt));
    await admitted("/both", { "x-api-key": goodKey, ...bearer(jwt) });
    await admitted("/public");
    await admitted("/optional");
    await admitted("/optional", { "x-api-key": goodKey });
    await refused("/optional", { "x-api-key": generateApiKey() });
  });

  it("A10: a missing scope is 403 insufficient_scope; the upstream is not reached", async () => {
    await admitted("/scoped", bearer(await token({ scope: "read:things write:things" })));
    await admitted("/scoped", bearer(await token({ scope: undefined, scp: ["read:things"] })));
    const { challenge, stable } = await refused("/scoped", bearer(await token({ scope: "write:things" })), 403);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(stable.type).toContain("insufficient-scope");
    await refused("/key-scoped", { "x-api-key": goodKey }, 403);
    await admitted("/key-scoped", { "x-api-key": adminKey });
  });

  it("A11: forged consumer headers are dropped, even on public operations; credentials stay unless the scheme forwards them", async () => {
    const spoof = { "x-consumer-id": "admin", "x-consumer-tier": "enterprise", "x-consumer-scopes": "admin" };
    const open = await admitted("/public", { ...spoof, x_consumer_id: "admin", connection: "x-consumer-id" });
    expect(open.headers["x-consumer-id"]).toBeUndefined();
    expect(open.headers["x-consumer-tier"]).toBeUndefined();
    expect(open.headers["x-consumer-scopes"]).toBeUndefined();
    expect(open.headers.x_consumer_id).toBeUndefined();
    // Each underscore spelling alone, with nothing else to make the gateway copy the request.
    for (const spelling of ["x_consumer_id", "X-Consumer_Id", "x_consumer-scopes"]) {
      const sent = await admitted("/public", { [spelling]: "admin" });
      expect(Object.keys(sent.headers).filter((name) => name.replaceAll("_", "-").startsWith("x-consumer"))).toEqual([]);
    }
    // `Connection: x-consumer-id` asks a proxy to drop that header: never the gateway's own.
    const keyed = await admitted("/key", { ...spoof, "x-api-key": goodKey, connection: "x-consumer-id, x-consumer-scopes" });
    expect(keyed.headers["x-consumer-id"]).toBe("acme");
    expect(keyed.headers["x-consumer-scopes"]).toBe("read");
    const passed = await admitted("/pass-through", { "x-pass-key": goodKey });
    expect(passed.headers["x-pass-key"]).toBe(goodKey);
  });
});

describe("A12–A13, F4–F5, F7: key sets under stress and failure", () => {
  it("A13: a token signed by a newly published key is admitted after exactly one refetch", async () => {
    await admitted("/rotating", bearer(await token()));
    const before = (await jwksFetches())["/keys/rotating.json"];
    await (await fetch(`${authUrl}/control/rotate`)).text();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the scheme's cooldown is 1 s
    await admitted("/rotating", bearer(await token({}, { key: keys.next })));
    expect((await jwksFetches())["/keys/rotating.json"]).toBe(before + 1);
  });

  it("A12: 100 concurrent tokens with one unknown kid share one fetch; a storm of random kids fetches at most once per cooldown", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = (await jwksFetches())["/keys/rotating.json"];
    const unknown = await token({}, { header: { kid: "not-published" } });
    const statuses = await Promise.all(Array.from({ length: 100 }, () => call(gateway, "/rotating", { headers: bearer(unknown) }).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect((await jwksFetches())["/keys/rotating.json"]).toBe(before + 1);

    const storm = (await jwksFetches())["/keys/jwks.json"];
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      const response = await call(gateway, "/bearer", { headers: bearer(await token({}, { header: { kid: crypto.randomUUID() } })) });
      expect(response.status).toBe(401);
    }
    const seconds = (Date.now() - started) / 1000;
    const fetched = (await jwksFetches())["/keys/jwks.json"] - storm;
    expect(fetched).toBeLessThanOrEqual(Math.ceil(seconds / 30) + 1);
    console.log(`JWKS storm: 1,000 unknown kids in ${seconds.toFixed(1)} s caused ${fetched} fetch(es) (cooldown 30 s)`);
  });

  // workerd logs "uncaught exception … Network connection lost" for every refused connection, a
  // fetch whose rejection is caught included (`await fetch(closed).catch(() => {})` prints it too):
  // its own line, not a promise of the gateway's left unhandled.
  it("F4/F5: unreachable, failing, non-JSON or 5 MB key sets: 503 on a cold isolate, never 200 or 500", async () => {
    const jwt = await token();
    for (const path of ["/unreachable-keys", "/broken-keys", "/not-json-keys", "/huge-keys"]) {
      const response = await call(gateway, path, { headers: bearer(jwt) });
      expect(response.status, path).toBe(503);
      expect((await problemOf(response)).status).toBe(503);
      // Within the cooldown the next request fails at once, without another fetch.
      expect((await call(gateway, path, { headers: bearer(jwt) })).status).toBe(503);
    }
    const fetches = await jwksFetches();
    expect(fetches["/keys/error.json"]).toBe(1);
    expect(fetches["/keys/not-json.json"]).toBe(1);
    expect(fetches["/keys/huge.json"]).toBe(1);
  });

  it("F7: a consumer store that cannot be read gives 503, never 200", async () => {
    const { response, probe } = await send("/lost-store", { "x-lost-key": goodKey });
    expect(response.status).toBe(503);
    expect((await problemOf(response)).detail).not.toContain(goodKey);
    expect(await hits(probe)).toBe(0);
  });
});

describe("credential: apiKey: consumers' keys as bearer tokens and through Stripe-style basic", () => {
  it("admits a stored key sent as Authorization: Bearer, and tells the upstream who called, without the key", async () => {
    const echo = await admitted("/bearer-key", bearer(goodKey));
    expect(echo.headers["x-consumer-id"]).toBe("acme");
    expect(echo.headers["x-consumer-tier"]).toBe("paid");
    expect(echo.headers["x-consumer-scopes"]).toBe("read");
    expect(echo.headers.authorization).toBeUndefined();
  });

  it("refuses revoked, disabled, expired, rotated-out and unknown keys with a Bearer challenge and one body; keeps a key in its rotation grace", async () => {
    const revoked = await storeConsumer({ id: "gone" });
    await env.CONSUMERS.delete(consumerStorageKey(await apiKeyHash(revoked))); // what `portico keys revoke` does
    const disabled = await storeConsumer({ id: "off", disabled: true });
    const expired = await storeConsumer({ id: "old", expiresAt: new Date(Date.now() - 1000).toISOString() });
    const inGrace = await storeConsumer({ id: "rotating", expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const bodies = [];
    for (const key of [revoked, disabled, expired, generateApiKey()]) {
      const { stable, challenge } = await refused("/bearer-key", bearer(key));
      expect(challenge).toMatch(/^Bearer realm="Auth Test API", error="invalid_token"$/);
      bodies.push(stable);
    }
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect((await admitted("/bearer-key", bearer(inGrace))).headers["x-consumer-id"]).toBe("rotating");
    const { challenge } = await refused("/bearer-key");
    expect(challenge).toBe('Bearer realm="Auth Test API"');
  });

  it("refuses a JWT (even one the bearer scheme accepts) as no key, unparsed; an OR of both takes either", async () => {
    const jwt = await token();
    await refused("/bearer-key", bearer(jwt));
    await refused("/bearer-key", bearer(forged({ alg: "none" }, { sub: "acme" })));
    await refused("/bearer-key", { authorization: `Bearer ${goodKey} ${goodKey}` });
    await refused(`/bearer-key?access_token=${goodKey}`, bearer(goodKey));
    expect((await admitted("/token-or-key", bearer(jwt))).headers["x-consumer-id"]).toBe("bearer:user-1");
    expect((await admitted("/token-or-key", bearer(goodKey))).headers["x-consumer-id"]).toBe("acme");
  });

  it("takes a key as the basic user name with an empty password, as Stripe does, on a scheme without x-portico; consumer id and key still work", async () => {
    const basic = (pair: string) => ({ authorization: `Basic ${btoa(pair)}` });
    const echo = await admitted("/stripe-basic", basic(`${goodKey}:`));
    expect(echo.headers["x-consumer-id"]).toBe("acme");
    expect(echo.headers.authorization).toBeUndefined();
    expect((await admitted("/stripe-basic", basic(`acme:${goodKey}`))).headers["x-consumer-id"]).toBe("acme");
    const last = goodKey.at(-1) === "a" ? "b" : "a";
    for (const pair of [`${generateApiKey()}:`, `${goodKey.slice(0, -1)}${last}:`, `${goodKey}:x`, `:${goodKey}`, `acme:`]) {
      const { challenge } = await refused("/stripe-basic", basic(pair));
      expect(challenge).toContain("Basic");
    }
  });
});

describe("credential: introspection: opaque tokens checked by RFC 7662", () => {
  afterEach(() => vi.useRealTimers());

  it("admits an active token, maps sub, scope and the tier member, and asks the endpoint as RFC 7662 says", async () => {
    const opaque = await opaqueToken({ sub: "svc-1", scope: "read:things write:things", plan: "gold", client_id: "c1" });
    const echo = await admitted("/introspected", bearer(opaque));
    expect(echo.headers["x-consumer-id"]).toBe("introspected:svc-1");
    expect(echo.headers["x-consumer-tier"]).toBe("gold");
    expect(echo.headers["x-consumer-scopes"]).toBe("read:things write:things");
    expect(echo.headers.authorization).toBeUndefined();
    // The endpoint answers 401 to any other client authentication, which the gateway would turn into 503.
    expect(await introspections(opaque)).toEqual({
      requests: 1,
      last: { contentType: "application/x-www-form-urlencoded", accept: "application/json", hint: "access_token", params: ["token", "token_type_hint"] },
    });
  });

  it("refuses a token without a required scope with 403 insufficient_scope", async () => {
    const { challenge, stable } = await refused("/introspected", bearer(await opaqueToken({ sub: "svc-2", scope: "write:things" })), 403);
    expect(challenge).toContain('error="insufficient_scope", scope="read:things"');
    expect(stable.type).toContain("insufficient-scope");
  });

  it("refuses inactive, unknown and malformed tokens with the body of any other 401", async () => {
    const revoked = await opaqueToken({ sub: "svc-3", scope: "read:things" });
    await revokeOpaque(revoked);
    const expired = await opaqueToken({ sub: "svc-3", scope: "read:things", exp: Math.floor(Date.now() / 1000) - 5 });
    const missing = await refused("/introspected");
    for (const headers of [bearer(revoked), bearer(expired), bearer("never-issued"), bearer("not a token;"), bearer("x".repeat(9000))]) {
      const { stable, challenge } = await refused("/introspected", headers);
      expect(stable).toEqual(missing.stable);
      expect(challenge).toContain('Bearer realm="Auth Test API"');
    }
    expect((await introspections(revoked)).requests).toBe(1);
    // An active token for another audience is refused where the scheme names one, though another scheme's check cached it.
    const elsewhere = await opaqueToken({ sub: "svc-3", scope: "read:things", aud: "other-api" });
    await admitted("/introspected", bearer(elsewhere));
    await refused("/introspected-bearer", bearer(elsewhere));
    expect((await introspections(elsewhere)).requests).toBe(1);
    // Nor is an active token without a consumer.
    await admitted("/introspected-bearer", bearer(await opaqueToken({ sub: "svc-3", aud: ["other-api", "museum"] })));
    await refused("/introspected", bearer(await opaqueToken({ scope: "read:things", client_id: "no-sub" })));
  });

  it("answers a second request within the cache life from the isolate, and concurrent misses with one introspection", async () => {
    const opaque = await opaqueToken({ sub: "svc-4", scope: "read:things" });
    await admitted("/introspected", bearer(opaque));
    await admitted("/introspected", bearer(opaque));
    expect((await introspections(opaque)).requests).toBe(1);
    const shared = await opaqueToken({ sub: "svc-5", scope: "read:things" });
    const statuses = await Promise.all(Array.from({ length: 20 }, () => call(gateway, "/introspected", { headers: bearer(shared) }).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect((await introspections(shared)).requests).toBe(1);
  });

  it("never serves a token from the cache after its exp (clock moved past it), nor after 60 s", async () => {
    const now = Date.now();
    const shortLived = await opaqueToken({ sub: "svc-6", scope: "read:things", exp: Math.floor(now / 1000) + 2 });
    await admitted("/introspected", bearer(shortLived));
    vi.useFakeTimers({ toFake: ["Date"], now: now + 1000 });
    await admitted("/introspected", bearer(shortLived));
    expect((await introspections(shortLived)).requests).toBe(1);
    // Past exp the cache no longer vouches for it: the endpoint is asked, and now says revoked.
    await revokeOpaque(shortLived);
    vi.setSystemTime(now + 3000);
    await refused("/introspected", bearer(shortLived));
    expect((await introspections(shortLived)).requests).toBe(2);

    vi.setSystemTime(now);
    const longLived = await opaqueToken({ sub: "svc-7", scope: "read:things", exp: Math.floor(now / 1000) + 3600 });
    await admitted("/introspected", bearer(longLived));
    vi.setSystemTime(now + 61_000);
    await admitted("/introspected", bearer(longLived));
    expect((await introspections(longLived)).requests).toBe(2);
  });

  it("fails closed with 503 and Retry-After, never 200, when the endpoint is down, answers 500, garbage, no RFC 7662 object or too much", async () => {
    const cases: Array<[string, string]> = [["/lost-introspection", await opaqueToken({ sub: "svc-8" })]];
    for (const behaviour of ["error", "not-json", "not-rfc", "huge"] as const)
      cases.push(["/introspected", await opaqueToken({ sub: "svc-8", scope: "read:things" }, behaviour)]);
    for (const [path, opaque] of cases) {
      const { response, probe } = await send(path, bearer(opaque));
      expect(response.status, `${path} ${opaque}`).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect((await problemOf(response)).status).toBe(503);
      expect(await hits(probe)).toBe(0);
      // A failure is not cached: the next request asks again.
      if (path === "/introspected") {
        expect((await call(gateway, path, { headers: bearer(opaque) })).status).toBe(503);
        expect((await introspections(opaque)).requests).toBe(2);
      }
    }
  });

  it("gives 503 within a bound when the endpoint is slower than the scheme's timeout", async () => {
    const opaque = await opaqueToken({ sub: "svc-9" }, "slow");
    const started = Date.now();
    const { response, probe } = await send("/hasty-introspection", bearer(opaque));
    const elapsed = Date.now() - started;
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await hits(probe)).toBe(0);
    // Timeout 250 ms; the endpoint would take 10 s. The bound leaves room for a loaded machine.
    expect(elapsed).toBeLessThan(3000);
  });
});
