/**
 * The upstream of the security suite: a real HTTP server on 127.0.0.1 that
 * records every request it gets, as it got it (the raw request target, the
 * raw header lines, the body's length and SHA-256), under the `x-case` header
 * a test sends, and answers with that record. "Upstream hits" in the suite
 * are these records.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  case: string;
  method: string;
  /** The request target exactly as sent on the wire. */
  target: string;
  /** Raw header lines, names lower-cased, in order. */
  headers: Array<[string, string]>;
  bodyLength: number;
  bodySha256: string;
  /** Whether the gateway gave up on the request before it was answered (a timeout). */
  abandoned: boolean;
}

export interface Upstream {
  server: Server;
  port: number;
  records: Received[];
}

/** Hop-by-hop fields an upstream might answer with: none may reach a client. */
const HOP_BY_HOP_ANSWER: Array<[string, string]> = [
  ["connection", "keep-alive, x-upstream-hop"],
  ["x-upstream-hop", "must not pass"],
  ["keep-alive", "timeout=5"],
  ["proxy-authenticate", "Basic realm=upstream"],
];

function answer(req: IncomingMessage, res: ServerResponse, received: Received, hits: Map<string, number>): void {
  const url = new URL(received.target, "http://upstream");
  const path = url.pathname;
  const status = /\/status\/(\d{3})$/.exec(path);
  if (status) return void res.writeHead(Number(status[1]), { "content-type": "application/json" }).end(JSON.stringify({ upstream: Number(status[1]) }));
  if (path.endsWith("/huge-headers")) {
    const headers: Array<[string, string]> = Array.from({ length: 128 }, (_, i) => [`x-filler-${i}`, "f".repeat(1024)]);
    return void res.writeHead(200, headers).end("{}");
  }
  const counted = /^\/count\/([^/]+)$/.exec(path)?.[1];
  if (counted) {
    // The cache's counterpart: says who asked, how often this key was asked for, and what a poisoner would want reflected.
    const hit = (hits.get(counted) ?? 0) + 1;
    hits.set(counted, hit);
    const headers: Record<string, string> = { "content-type": "application/json", "cache-control": url.searchParams.get("cc") ?? "max-age=60" };
    if (url.searchParams.get("cookie") === "1") headers["set-cookie"] = "session=abc; Path=/; HttpOnly";
    const reflected = ["x-consumer-id", "x-forwarded-host", "x-original-url", "x-http-method-override"].map((name) => [name, req.headers[name] ?? null]);
    const body = JSON.stringify({ key: counted, hit, method: req.method, ...Object.fromEntries(reflected) });
    return void res.writeHead(Number(url.searchParams.get("status") ?? 200), headers).end(body);
  }
  res.writeHead(200, [
    ["content-type", "application/json"],
    ...HOP_BY_HOP_ANSWER,
    ["set-cookie", "a=1; Path=/; HttpOnly"],
    ["set-cookie", "b=2; Path=/; Secure"],
  ]);
  res.end(req.method === "HEAD" ? undefined : JSON.stringify(received));
}

export async function startUpstream(): Promise<Upstream> {
  const records: Received[] = [];
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
    const received: Received = {
      case: String(req.headers["x-case"] ?? ""),
      method: req.method ?? "",
      target: req.url ?? "",
      headers,
      bodyLength: 0,
      bodySha256: "",
      abandoned: false,
    };
    records.push(received);
    const hash = createHash("sha256");
    const mirror = (req.url ?? "").startsWith("/mirror");
    if (mirror) res.writeHead(200, { "content-type": "application/octet-stream" });
    req.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      received.bodyLength += chunk.length;
      if (mirror) res.write(chunk);
    });
    req.on("end", () => {
      received.bodySha256 = hash.digest("hex");
      if (mirror) return void res.end();
      if ((req.url ?? "").startsWith("/slow")) {
        const timer = setTimeout(() => answer(req, res, received, hits), 3000);
        res.on("close", () => {
          if (!res.writableFinished) received.abandoned = true;
          clearTimeout(timer);
        });
        return;
      }
      answer(req, res, received, hits);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, records };
}
