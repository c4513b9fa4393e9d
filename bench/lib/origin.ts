/**
 * @module
 * The benches' origin (overhead, traffic): a node:http server on 127.0.0.1 answering every
 * request with the same small JSON page, as fast as node can. Run as its own
 * process, it prints its port on stdout once it listens. It counts the
 * requests of each path, and answers `GET /__origin/requests` (not counted)
 * with those counts, and `GET /__origin/headers` with the headers of each
 * path's latest request, so a bench can prove what reached it.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { fileURLToPath } from "node:url";

export const PAGE = JSON.stringify({
  items: [
    { id: "it-1", name: "Amphora" },
    { id: "it-2", name: "Lekythos" },
  ],
});

const COUNTS_PATH = "/__origin/requests";
const HEADERS_PATH = "/__origin/headers";

function serve() {
  const counts: Record<string, number> = {};
  const latest: Record<string, IncomingHttpHeaders> = {};
  const server = createServer((request, response) => {
    request.resume();
    const path = (request.url ?? "/").split("?")[0];
    if (path === COUNTS_PATH) return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(counts));
    if (path === HEADERS_PATH) return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(latest));
    counts[path] = (counts[path] ?? 0) + 1;
    latest[path] = request.headers;
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(PAGE) });
    response.end(PAGE);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => console.log((server.address() as { port: number }).port));
}

export interface Origin {
  url: string;
  /** Requests received so far, by path. */
  requests: () => Promise<Record<string, number>>;
  /** The headers of the latest request of each path (lower-case names). */
  headers: () => Promise<Record<string, IncomingHttpHeaders>>;
  close: () => void;
}

/** Starts the origin in a child process (which inherits this one's cores); resolves with its URL. */
export function startOrigin(): Promise<Origin> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the origin exited (${code}) before listening`)));
    child.stdout.once("data", (chunk: Buffer) => {
      const url = `http://127.0.0.1:${chunk.toString().trim()}`;
      const requests = async () => (await fetch(url + COUNTS_PATH)).json() as Promise<Record<string, number>>;
      const headers = async () => (await fetch(url + HEADERS_PATH)).json() as Promise<Record<string, IncomingHttpHeaders>>;
      resolve({ url, requests, headers, close: () => child.kill("SIGTERM") });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve();
