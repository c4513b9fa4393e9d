/**
 * The identity side of the authentication tests, as a real HTTP server on
 * 127.0.0.1: JWKS documents (healthy, rotating, broken in each way), an
 * OpenID Connect discovery document, an RFC 7662 introspection endpoint
 * (introspection-server.ts), and an upstream that counts its hits per
 * probe id so a test can prove a refused request never reached it, with
 * routes that break off mid-answer (fault-routes.ts).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { faultRoutes } from "./fault-routes.ts";
import { introspectionRoutes } from "./introspection-server.ts";

export interface TestKeys {
  /** RS256 key in the main JWKS. */
  rsa: JWK;
  /** ES256 key, also in the main JWKS. */
  ec: JWK;
  /** RS256 key the rotating JWKS gains on POST /rotating/add. */
  next: JWK;
  /** RS256 key served by no JWKS (static-key scheme, as PEM). */
  staticKey: JWK;
  staticPem: string;
}

async function keyPair(alg: string, kid: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const pub = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { publicJwk: pub, privateJwk: { ...(await exportJWK(privateKey)), kid, alg }, publicKey };
}

export async function startAuthServer(): Promise<{ server: Server; port: number; keys: TestKeys }> {
  const rsa = await keyPair("RS256", "rsa-1");
  const ec = await keyPair("ES256", "ec-1");
  const next = await keyPair("RS256", "rsa-2");
  const fixed = await keyPair("RS256", "static-1");
  const { exportSPKI } = await import("jose");
  const staticPem = await exportSPKI(fixed.publicKey);
  let rotated = false;
  const fetches = new Map<string, number>();
  const hits = new Map<string, number>();
  let port = 0;
  const introspection = introspectionRoutes();
  const faults = faultRoutes(() => ({ keys: [rsa.publicJwk] }));

  // Headers as large as the Cloudflare edge lets through (128 KB in all), not Node's 16 KB.
  const server = createServer({ maxHeaderSize: 128 * 1024 }, (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (path === "/introspect" || path.startsWith("/control/introspection/")) return void introspection(req, res, path);
    if (path.startsWith("/keys/")) fetches.set(path, (fetches.get(path) ?? 0) + 1);
    switch (path) {
      case "/keys/jwks.json":
        return json(200, { keys: [rsa.publicJwk, ec.publicJwk] });
      case "/keys/rotating.json":
        return json(200, { keys: rotated ? [rsa.publicJwk, next.publicJwk] : [rsa.publicJwk] });
      case "/keys/oidc.json":
        return json(200, { keys: [rsa.publicJwk] });
      case "/keys/error.json":
        return json(500, { error: "down" });
      case "/keys/not-json.json":
        return res.writeHead(200, { "content-type": "application/json" }).end("{ not json");
      case "/keys/huge.json":
        // 5 MB of valid JSON: refused by size, not parsed.
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"keys":[],"padding":"');
        for (let i = 0; i < 5 * 1024; i++) res.write("x".repeat(1024));
        return res.end('"}');
      case "/.well-known/openid-configuration":
        return json(200, { issuer: "https://oidc.test/", jwks_uri: `http://127.0.0.1:${port}/keys/oidc.json` });
      case "/control/rotate":
        rotated = true;
        return json(200, { rotated });
      case "/control/fetches":
        return json(200, Object.fromEntries(fetches));
    }
    if (path.startsWith("/control/hits/")) return json(200, { hits: hits.get(path.slice("/control/hits/".length)) ?? 0 });
    if (path === "/control/hits" && req.method === "POST") {
      // Many probes at once (a JSON array of ids), for tests that send thousands of requests.
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () =>
        json(
          200,
          (JSON.parse(Buffer.concat(chunks).toString("utf8")) as string[]).map((probe) => hits.get(probe) ?? 0),
        ),
      );
      return;
    }
    // Upstream: count the hit under its probe id, echo what arrived.
    const probe = String(req.headers["x-probe"] ?? "");
    if (probe) hits.set(probe, (hits.get(probe) ?? 0) + 1);
    if (faults(req, res, path)) return;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => json(200, { method: req.method, target: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return { server, port, keys: { rsa: rsa.privateJwk, ec: ec.privateJwk, next: next.privateJwk, staticKey: fixed.privateJwk, staticPem } };
}
