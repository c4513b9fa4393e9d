/**
 * Routes of the auth test server that fail the way a real server can: a JWKS
 * that breaks off mid-body or answers too late, switchable per id so a test can
 * warm the gateway's cache first; upstream answers that break off after
 * their headers or before them; and an upload sink that records, per probe
 * id, how many body bytes arrived, under what Content-Length, and whether
 * the request ended whole.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * How /faults/jwks/<id> answers: whole; cut off after half its bytes, with or
 * without Content-Length; or late, its headers or the rest of its body.
 */
export type JwksMode = "healthy" | "reset" | "reset-chunked" | "slow-headers" | "slow-body";
const JWKS_MODES = new Set<string>(["healthy", "reset", "reset-chunked", "slow-headers", "slow-body"]);

/** Later than the gateway's 5 s wait for key documents, whichever part of the answer is late. */
const LATE_MS = 8_000;

/** Sends the first half of `body` and then drops the connection. */
function cutOff(res: ServerResponse, body: string, declareLength: boolean): void {
  res.writeHead(200, { "content-type": "application/json", ...(declareLength ? { "content-length": String(Buffer.byteLength(body)) } : {}) });
  res.write(body.slice(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 50));
}

export function faultRoutes(keySet: () => unknown) {
  const modes = new Map<string, JwksMode>();
  const fetches = new Map<string, number>();
  const uploads = new Map<string, { bytes: number; whole: boolean; length: string | null }>();

  function upload(req: IncomingMessage, res: ServerResponse): void {
    const record = { bytes: 0, whole: false, length: req.headers["content-length"] ?? null };
    uploads.set(String(req.headers["x-probe"] ?? ""), record);
    req.on("data", (chunk: Buffer) => (record.bytes += chunk.length));
    req.on("end", () => {
      record.whole = true;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(record));
    });
    req.on("error", () => {}); // a reset is what some cases expect
  }

  function jwks(res: ServerResponse, id: string): void {
    fetches.set(id, (fetches.get(id) ?? 0) + 1);
    const body = JSON.stringify(keySet());
    const mode = modes.get(id) ?? "healthy";
    if (mode === "healthy") return void res.writeHead(200, { "content-type": "application/json" }).end(body);
    if (mode === "slow-headers" || mode === "slow-body") {
      const early = mode === "slow-body" ? body.slice(0, 10) : "";
      if (early) res.writeHead(200, { "content-type": "application/json" }).write(early);
      const late = setTimeout(() => (early ? res : res.writeHead(200, { "content-type": "application/json" })).end(body.slice(early.length)), LATE_MS);
      res.on("close", () => clearTimeout(late));
      return;
    }
    cutOff(res, body, mode === "reset");
  }

  /** Handles /faults/… and /control/faults/…; false for any other path. */
  return (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    const setMode = /^\/control\/faults\/jwks\/([\w-]+)\/([\w-]+)$/.exec(path);
    const count = /^\/control\/faults\/jwks\/([\w-]+)$/.exec(path);
    const keys = /^\/faults\/jwks\/([\w-]+)$/.exec(path);
    const uploaded = /^\/control\/faults\/uploads\/([\w-]+)$/.exec(path);
    const answer = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) });
    if (setMode && JWKS_MODES.has(setMode[2])) {
      modes.set(setMode[1], setMode[2] as JwksMode);
      res.writeHead(204).end();
    } else if (count) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ fetches: fetches.get(count[1]) ?? 0 }));
    } else if (uploaded) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(uploads.get(uploaded[1]) ?? null));
    } else if (path === "/faults/upstream/upload") {
      upload(req, res);
    } else if (keys) {
      jwks(res, keys[1]);
    } else if (path === "/faults/upstream/mid-body") {
      cutOff(res, answer, true);
    } else if (path === "/faults/upstream/mid-chunk") {
      cutOff(res, answer, false);
    } else if (path === "/faults/upstream/before-headers") {
      req.socket.destroy();
    } else {
      return false;
    }
    return true;
  };
}
