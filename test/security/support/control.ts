/**
 * What the tests read back from the servers globalSetup runs: vitest runs each
 * test file in a worker of its own, so the upstream's records, the attacker's
 * requests, the identity provider's fetches and the dev server's output are
 * served over HTTP on a port of their own, never through the gateway.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Attacker } from "./attacker.ts";
import type { Identity } from "./identity.ts";
import type { Upstream } from "./recording-upstream.ts";

export async function startControl(parts: {
  upstream: Upstream;
  attacker: Attacker;
  identity: Identity;
  output: () => string;
}): Promise<{ server: Server; port: number }> {
  const { upstream, attacker, identity, output } = parts;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://control");
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    switch (`${req.method} ${url.pathname}`) {
      case "GET /upstream": {
        const wanted = url.searchParams.get("case");
        return json(wanted === null ? upstream.records : upstream.records.filter((record) => record.case === wanted));
      }
      case "GET /attacker":
        return json(attacker.requests);
      case "GET /identity":
        return json({ fetches: Object.fromEntries(identity.fetches), paths: [...identity.paths] });
      case "POST /identity/rotate":
        identity.rotate();
        return json({ rotated: true });
      case "POST /identity/break-flaky":
        identity.breakFlaky();
        return json({ broken: true });
      case "GET /dev/output":
        return void res.writeHead(200, { "content-type": "text/plain" }).end(output());
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
