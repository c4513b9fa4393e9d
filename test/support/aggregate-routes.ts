/**
 * Routes of the local upstream for the aggregate tests, under /aggregate/:
 * a meeting point that answers only once two requests of one meeting are in
 * it at the same time (so parts sent one after the other can never pass), a
 * route that never answers, and answers of every kind a part can get (text,
 * bytes, broken JSON, nothing, a large body with and without Content-Length).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * How long a side waits for the other. Parts sent together meet within
 * milliseconds, even on a loaded machine; parts sent one after the other
 * never meet, and each answers `met: false` after this long instead of hanging.
 */
const MEET_MS = 3_000;
/** The longest a held request is held, should its client never leave. */
const HOLD_MS = 10_000;

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

/** Sides in each meeting, and how to wake each waiting one. */
const meetings = new Map<string, Map<string, () => void>>();

function meet(res: ServerResponse, id: string, side: string): void {
  let present = meetings.get(id);
  if (!present) meetings.set(id, (present = new Map()));
  const answer = (met: boolean) => json(res, 200, { side, met });
  if (present.size > 0) {
    for (const wake of present.values()) wake();
    meetings.delete(id);
    answer(true);
    return;
  }
  const gaveUp = setTimeout(() => {
    present.delete(side);
    answer(false);
  }, MEET_MS);
  present.set(side, () => {
    clearTimeout(gaveUp);
    answer(true);
  });
}

function hold(res: ServerResponse): void {
  const late = setTimeout(() => json(res, 200, { late: true }), HOLD_MS);
  res.on("close", () => clearTimeout(late));
}

/** Handles /aggregate/…; false for any other path. */
export function aggregateRoutes(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? "/", "http://upstream");
  const [, route, rest] = /^\/aggregate\/([\w-]+)\/?(.*)$/.exec(url.pathname) ?? [];
  if (!route) return false;
  const size = Number(url.searchParams.get("bytes") ?? 0);
  switch (route) {
    case "meet": {
      const [id, side] = rest.split("/");
      meet(res, id, side);
      break;
    }
    case "hold":
      hold(res);
      break;
    case "json":
      json(res, Number(url.searchParams.get("status") ?? 200), { part: rest, query: url.search });
      break;
    case "text":
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("plain words");
      break;
    case "bytes":
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.from([0, 1, 2, 3]));
      break;
    case "broken-json":
      res.writeHead(200, { "content-type": "application/json" }).end('{"half":');
      break;
    case "empty":
      res.writeHead(204).end();
      break;
    case "large": {
      // A JSON string of `bytes` bytes, in chunks: with its Content-Length declared, or without.
      const headers = { "content-type": "application/json", ...(rest === "declared" ? { "content-length": String(size) } : {}) };
      res.writeHead(200, headers);
      const chunk = "x".repeat(1024);
      res.write('"');
      let left = size - 2;
      while (left > 0) {
        res.write(chunk.slice(0, Math.min(left, chunk.length)));
        left -= chunk.length;
      }
      res.end('"');
      break;
    }
    default:
      json(res, 404, { route });
  }
  return true;
}
