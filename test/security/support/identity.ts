/**
 * The identity provider of the security suite: JWKS documents on 127.0.0.1,
 * one URL per scheme so each scheme's fetches are counted apart, healthy or
 * broken in each way, and a key set that gains a key on request (rotation).
 * It logs every path asked for, so a test can show the gateway fetched
 * nothing but the key sets the document names.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";

/** Private keys the tests sign with; their public halves are what the key sets serve. */
export interface SigningKeys {
  /** RS256, kid rsa-1: in every healthy key set. */
  rsa: JWK;
  /** ES256, kid ec-1: in the main key set beside rsa-1. */
  ec: JWK;
  /** RS256, kid rsa-2: in the rotating key set once it has rotated. */
  next: JWK;
}

export interface Identity {
  server: Server;
  port: number;
  keys: SigningKeys;
  fetches: Map<string, number>;
  paths: Set<string>;
  rotate(): void;
  /** Makes the flaky key set answer 500 from now on. */
  breakFlaky(): void;
}

async function keyPair(alg: string, kid: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" }, privateJwk: { ...(await exportJWK(privateKey)), kid, alg } };
}

export async function startIdentity(): Promise<Identity> {
  const [rsa, ec, next] = await Promise.all([keyPair("RS256", "rsa-1"), keyPair("ES256", "ec-1"), keyPair("RS256", "rsa-2")]);
  const fetches = new Map<string, number>();
  const paths = new Set<string>();
  let rotated = false;
  let flakyBroken = false;
  const sets: Record<string, () => unknown> = {
    main: () => ({ keys: [rsa.publicJwk, ec.publicJwk] }),
    storm: () => ({ keys: [rsa.publicJwk] }),
    "shared-miss": () => ({ keys: [rsa.publicJwk] }),
    rotating: () => ({ keys: rotated ? [rsa.publicJwk, next.publicJwk] : [rsa.publicJwk] }),
    flaky: () => (flakyBroken ? undefined : { keys: [rsa.publicJwk] }),
    broken: () => undefined,
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    paths.add(path);
    const name = /^\/jwks\/([a-z-]+)\.json$/.exec(path)?.[1];
    if (!name) return void res.writeHead(404).end();
    fetches.set(name, (fetches.get(name) ?? 0) + 1);
    if (name === "not-json") return void res.writeHead(200, { "content-type": "application/json" }).end("{ not json");
    if (name === "huge") {
      // 5 MB of valid JSON: to be refused by its size, never parsed.
      res.writeHead(200, { "content-type": "application/json" }).write('{"keys":[],"padding":"');
      for (let i = 0; i < 5 * 1024; i++) res.write("x".repeat(1024));
      return void res.end('"}');
    }
    const set = sets[name]?.();
    if (!set) return void res.writeHead(500, { "content-type": "application/json" }).end('{"error":"down"}');
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(set));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    keys: { rsa: rsa.privateJwk, ec: ec.privateJwk, next: next.privateJwk },
    fetches,
    paths,
    rotate: () => void (rotated = true),
    breakFlaky: () => void (flakyBroken = true),
  };
}
