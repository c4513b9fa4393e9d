/**
 * A host the document never names: a token's `jku`, `x5u` or `jwk` and the
 * path tricks point here. The gateway must never contact it, so every request
 * it gets is kept for the test to show there were none.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Attacker {
  server: Server;
  port: number;
  requests: Array<{ method: string; target: string }>;
}

export async function startAttacker(): Promise<Attacker> {
  const requests: Attacker["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", target: req.url ?? "" });
    // What a malicious key-set host would serve, in case anything ever asks.
    res.writeHead(200, { "content-type": "application/json" }).end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}
