/**
 * A real HTTP upstream on 127.0.0.1 for the forward tests. It answers with
 * what it received — method, the raw request target, raw headers, body length
 * and SHA-256 — so a test in workerd can check exactly what the gateway sent.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { aggregateRoutes } from "./aggregate-routes.ts";
import { groupRoutes } from "./upstream-groups.ts";

export interface Received {
  method: string;
  /** The request target exactly as sent on the wire. */
  target: string;
  /** Raw header pairs, names lower-cased. */
  headers: Array<[string, string]>;
  bodyLength: number;
  bodySha256: string;
}

function route(target: string): { delay?: number; status?: number; redirect?: string; stream?: boolean } {
  const path = target.split("?")[0];
  if (path.endsWith("/slow")) return { delay: 2000 };
  if (path.endsWith("/redirect")) return { redirect: "/elsewhere" };
  if (path.endsWith("/stream")) return { stream: true };
  const status = /\/status\/(\d{3})$/.exec(path);
  return status ? { status: Number(status[1]) } : {};
}

/** Hits per key of the counting route. */
const counts = new Map<string, number>();

/**
 * GET …/count/<key>: counts the hit and answers who asked (X-Consumer-Id) and
 * how many hits the key has had, with the Cache-Control of `cc`, the status
 * of `status`, `age` and `vary` as headers and a Set-Cookie with `cookie=1`.
 * GET …/hits/<key> reads the count without adding to it.
 */
function countingRoute(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? "/", "http://upstream");
  const [, route, key] = /\/(count|hits)\/([^/]+)$/.exec(url.pathname) ?? [];
  if (route === "hits") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hits: counts.get(key) ?? 0 }));
    return true;
  }
  if (route !== "count") return false;
  const hit = (counts.get(key) ?? 0) + 1;
  counts.set(key, hit);
  const query = url.searchParams;
  const status = Number(query.get("status") ?? 200);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (query.has("cc")) headers["cache-control"] = query.get("cc")!;
  if (query.has("age")) headers.age = query.get("age")!;
  if (query.has("vary")) headers.vary = query.get("vary")!;
  if (query.get("cookie") === "1") headers["set-cookie"] = "session=abc; Path=/; HttpOnly";
  const body = JSON.stringify({
    key,
    hit,
    consumer: req.headers["x-consumer-id"] ?? null,
    language: req.headers["accept-language"] ?? null,
    query: url.search,
  });
  res.writeHead(status, headers).end(status === 204 || status === 304 ? undefined : body);
  return true;
}

export async function startUpstream(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (countingRoute(req, res) || aggregateRoutes(req, res) || groupRoutes(req, res)) return;
    if ((req.url ?? "").startsWith("/mirror")) {
      // Streams the request body straight back, for large-body round trips.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      req.pipe(res);
      return;
    }
    const hash = createHash("sha256");
    let length = 0;
    req.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      length += chunk.length;
    });
    req.on("end", () => {
      const behaviour = route(req.url ?? "/");
      const headers: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
      const received: Received = { method: req.method ?? "", target: req.url ?? "", headers, bodyLength: length, bodySha256: hash.digest("hex") };
      const answer = () => {
        if (behaviour.redirect) {
          res.writeHead(302, { location: behaviour.redirect, "content-type": "text/plain" }).end("moved");
        } else if (behaviour.stream) {
          res.writeHead(200, { "content-type": "text/plain", "x-upstream": "stream" });
          let sent = 0;
          const timer = setInterval(() => {
            res.write(`chunk ${sent}\n`);
            if (++sent === 5) {
              clearInterval(timer);
              res.end();
            }
          }, 20);
        } else {
          res.writeHead(behaviour.status ?? 200, [
            ["content-type", "application/json"],
            ["x-upstream", "yes"],
            ["connection", "keep-alive, x-upstream-hop"],
            ["x-upstream-hop", "should not pass"],
            ["keep-alive", "timeout=5"],
            ["proxy-authenticate", "Basic realm=upstream"],
            // Node refuses a Trailer header on a HEAD answer.
            ...(req.method === "HEAD" ? [] : [["trailer", "x-checksum"] as [string, string]]),
            ["set-cookie", "a=1; Path=/; HttpOnly"],
            ["set-cookie", "b=2; Path=/; Secure"],
          ]);
          res.end(JSON.stringify(received));
        }
      };
      if (behaviour.delay) setTimeout(answer, behaviour.delay);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
