/**
 * Routes of the local upstream for forward's upstream groups: under /groups/,
 * every request is counted by its path (a test puts a fresh id in it), its
 * body hashed, and the query says how to answer — fail the first N times, fail
 * on one target only, drop the connection, send N bytes, answer after N ms, or
 * hold the request until its client goes. GET /groups-log?path=… tells what a
 * path received.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface GroupLog {
  hits: number;
  /** SHA-256 of each request's body, in order. */
  bodies: string[];
  /** The first path segment under /groups/ of each request: which target it reached. */
  targets: string[];
  /** A held request (wait=1) whose connection closed before it was answered. */
  closed: boolean;
}

const logs = new Map<string, GroupLog>();

function logOf(path: string): GroupLog {
  let log = logs.get(path);
  if (!log) logs.set(path, (log = { hits: 0, bodies: [], targets: [], closed: false }));
  return log;
}

/** The key a request is counted under: its path without the target segment (/groups/<target>/…). */
const keyOf = (path: string) => path.replace(/^\/groups\/[^/]+/, "");

function respond(req: IncomingMessage, res: ServerResponse, url: URL, log: GroupLog, body: Buffer): void {
  const query = url.searchParams;
  const target = url.pathname.split("/")[2];
  const hit = log.hits;
  if (query.get("wait") === "1") {
    // Never answered: the connection's close, before any answer, is what a test waits to see.
    res.on("close", () => (log.closed = !res.writableFinished));
    return;
  }
  if (hit <= Number(query.get("drop") ?? 0)) return void req.socket.destroy();
  const failing = hit <= Number(query.get("fail") ?? 0) || query.get("failTarget") === target;
  const status = failing ? Number(query.get("failWith") ?? 503) : Number(query.get("status") ?? 200);
  const headers: Record<string, string> = { "content-type": "application/json", "x-target": target };
  if (failing && query.has("retryAfter")) headers["retry-after"] = query.get("retryAfter")!;
  if (query.has("bytes")) {
    const size = Number(query.get("bytes"));
    if (query.get("declare") !== "0") headers["content-length"] = String(size);
    res.writeHead(status, { ...headers, "content-type": "application/octet-stream" });
    // In chunks, so a bound is passed mid-stream rather than in one piece.
    for (let sent = 0; sent < size; sent += 16384) res.write(Buffer.alloc(Math.min(16384, size - sent), 120));
    return void res.end();
  }
  res.writeHead(status, headers).end(JSON.stringify({ target, hit, method: req.method, path: url.pathname, bodyLength: body.length }));
}

/** Answers the request when it is one of these routes; false leaves it to the others. */
export function groupRoutes(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? "/", "http://upstream");
  if (url.pathname === "/groups-log") {
    const log = logs.get(url.searchParams.get("path") ?? "") ?? { hits: 0, bodies: [], targets: [], closed: false };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(log));
    return true;
  }
  if (!url.pathname.startsWith("/groups/")) return false;
  const log = logOf(keyOf(url.pathname));
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("error", () => {});
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    log.hits += 1;
    log.bodies.push(createHash("sha256").update(body).digest("hex"));
    log.targets.push(url.pathname.split("/")[2]);
    const delay = Number(url.searchParams.get("delay") ?? 0);
    if (delay > 0) setTimeout(() => respond(req, res, url, log, body), delay);
    else respond(req, res, url, log, body);
  });
  return true;
}

/**
 * A service binding for the tests (miniflare's `node` handler in vitest.config.ts): the same
 * routes, every request counted as reaching target "service", and its log read through the binding.
 */
export function serviceWorker(req: IncomingMessage, res: ServerResponse): void {
  if (!(req.url ?? "/").startsWith("/groups-log")) req.url = `/groups/service${req.url ?? "/"}`;
  if (!groupRoutes(req, res)) res.writeHead(404).end();
}
